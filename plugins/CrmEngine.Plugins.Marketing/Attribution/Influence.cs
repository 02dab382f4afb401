using CrmEngine.Plugins.Marketing.Members;

namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary>
/// Which campaign responses count for which opportunities. A response counts for an opportunity
/// when the member is linked to it and responded at or before the opportunity was created:
/// an account member through the opportunity's account; a contact member when the contact is the
/// opportunity's contact or works at its account; a lead member when the lead was converted into the
/// opportunity, its contact or its account, or names that account as its existing account.
/// Everything is read as the caller sees it.
/// </summary>
internal sealed class Influence
{
    private readonly Dictionary<(string Kind, Guid Id), List<Touch>> _byLink = [];

    private Influence()
    {
    }

    /// <summary>The campaign responses of everyone linked to any of the tenant's opportunities, indexed by what links them.</summary>
    public static async Task<Influence> LoadAsync(IRecordApi records, CancellationToken cancellationToken)
    {
        var influence = new Influence();
        var responses = new List<CrmRecord>();
        await foreach (var member in records.QueryAllAsync(CampaignMemberEntity.Name, Condition.IsNotNull("respondedAt"), cancellationToken: cancellationToken))
        {
            responses.Add(member);
        }

        var contacts = await LoadAsync(records, "contact", responses, cancellationToken);
        var leads = await LoadAsync(records, "lead", responses, cancellationToken);
        foreach (var member in responses)
        {
            var touch = new Touch(member.Id, member.GetValue<Guid>("campaign"), member.GetValue<DateTime>("respondedAt"));
            if (member.GetValue("account") is Guid account)
            {
                influence.Add("account", account, touch);
            }

            if (member.GetValue("contact") is Guid contactId && contacts.TryGetValue(contactId, out var contact))
            {
                influence.Add("contact", contactId, touch);
                influence.Add("account", contact.GetValue("account"), touch);
            }

            if (member.GetValue("lead") is Guid leadId && leads.TryGetValue(leadId, out var lead))
            {
                influence.Add("opportunity", lead.GetValue("convertedOpportunity"), touch);
                influence.Add("contact", lead.GetValue("convertedContact"), touch);
                influence.Add("account", lead.GetValue("convertedAccount"), touch);
                influence.Add("account", lead.GetValue("account"), touch);
            }
        }

        return influence;
    }

    /// <summary>The touches that count for <paramref name="opportunity"/>, oldest first (ties by campaign, then member id), each once.</summary>
    public IReadOnlyList<Touch> For(CrmRecord opportunity)
    {
        var links = new[] { ("opportunity", (Guid?)opportunity.Id), ("account", opportunity.GetValue<Guid?>("account")), ("contact", opportunity.GetValue<Guid?>("contact")) };
        return links
            .Where(link => link.Item2 is not null)
            .SelectMany(link => _byLink.GetValueOrDefault((link.Item1, link.Item2!.Value)) ?? [])
            .DistinctBy(t => t.MemberId)
            .Where(t => t.At <= opportunity.CreatedAt)
            .OrderBy(t => t.At).ThenBy(t => t.CampaignId).ThenBy(t => t.MemberId)
            .ToList();
    }

    /// <summary>Every opportunity with at least one touch (all of them, or those <paramref name="where"/> picks), with its touches.</summary>
    public async Task<List<Influenced>> OpportunitiesAsync(IRecordApi records, Condition? where, CancellationToken cancellationToken)
    {
        var influenced = new List<Influenced>();
        await foreach (var opportunity in records.QueryAllAsync("opportunity", where, cancellationToken: cancellationToken))
        {
            if (For(opportunity) is { Count: > 0 } touches)
            {
                influenced.Add(new Influenced(opportunity, touches));
            }
        }

        return influenced;
    }

    private static async Task<Dictionary<Guid, CrmRecord>> LoadAsync(IRecordApi records, string entity, List<CrmRecord> members, CancellationToken cancellationToken)
    {
        var ids = members.Select(m => m.GetValue(entity)).OfType<Guid>().Distinct().Cast<object?>().ToList();
        var loaded = new Dictionary<Guid, CrmRecord>();
        foreach (var batch in ids.Chunk(500))
        {
            await foreach (var record in records.QueryAllAsync(entity, Condition.In("id", batch), cancellationToken: cancellationToken))
            {
                loaded[record.Id] = record;
            }
        }

        return loaded;
    }

    private void Add(string kind, object? id, Touch touch)
    {
        if (id is Guid key)
        {
            if (!_byLink.TryGetValue((kind, key), out var touches))
            {
                _byLink[(kind, key)] = touches = [];
            }

            touches.Add(touch);
        }
    }
}
