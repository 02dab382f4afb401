using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Members;

/// <summary>
/// <c>addCampaignMembers(campaignId, leadIds, contactIds, accountIds)</c>: adds people to a campaign
/// in one transaction, as targeted members. People already in it are left as they are and counted;
/// an id that names nothing the caller may see refuses the whole call.
/// </summary>
internal sealed class AddCampaignMembers : IPluginOperation
{
    public string Name => "addCampaignMembers";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Adds leads, contacts and accounts to a campaign as targeted members; those already in it are skipped and counted.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("campaignId", TypeRef.Id.NonNull()),
        new("leadIds", TypeRef.ListOf(TypeRef.Id)),
        new("contactIds", TypeRef.ListOf(TypeRef.Id)),
        new("accountIds", TypeRef.ListOf(TypeRef.Id)),
    ];

    /// <summary>What adding people to a campaign answers, here and from a segment.</summary>
    public static TypeRef Added { get; } = TypeRef.Object("CampaignMembersAdded",
        new FieldRef("campaign", TypeRef.Entity(CampaignEntity.Name).NonNull()),
        new FieldRef("added", TypeRef.ListOf(TypeRef.Entity(CampaignMemberEntity.Name)).NonNull(), "The new members, in the order given."),
        new FieldRef("alreadyMembers", TypeRef.Int.NonNull(), "How many of the people given were members already.")).NonNull();

    public TypeRef Result => Added;

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var campaign = await OpenCampaignAsync(context, "campaignId", cancellationToken);

        var people = CampaignMemberEntity.Targets
            .SelectMany(target => Ids.List(context, target + "Ids", target).Distinct().Select(id => (Target: target, Id: id)))
            .ToList();
        if (people.Count == 0)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Name at least one lead, contact or account to add.", "leadIds");
        }

        foreach (var (target, id) in people)
        {
            await Writes.ExistingAsync(records, target, id, target + "Ids", cancellationToken);
        }

        return await AddAsync(records, campaign, people, cancellationToken);
    }

    /// <summary>
    /// Adds people (already checked) to an open campaign as targeted members, in order, leaving those
    /// already in it; the operation's result.
    /// </summary>
    public static async Task<Dictionary<string, object?>> AddAsync(IRecordApi records, CrmRecord campaign, IEnumerable<(string Target, Guid Id)> people, CancellationToken cancellationToken)
    {
        var added = new List<CrmRecord>();
        var already = 0;
        foreach (var (target, id) in people)
        {
            if ((await records.FindAsync(CampaignMemberEntity.Name, Condition.Eq("campaign", campaign.Id).And(Condition.Eq(target, id)), 1, cancellationToken)).Count > 0)
            {
                already++;
                continue;
            }

            added.Add(await Writes.RequireAsync(records.CreateAsync(CampaignMemberEntity.Name, new FieldValues { ["campaign"] = campaign.Id, [target] = id }, cancellationToken), target + "Ids"));
        }

        return new Dictionary<string, object?> { ["campaign"] = campaign, ["added"] = added, ["alreadyMembers"] = already };
    }

    /// <summary>The campaign an argument names, open for new members.</summary>
    public static async Task<CrmRecord> OpenCampaignAsync(IOperationContext context, string argument, CancellationToken cancellationToken)
    {
        var campaign = await Writes.ExistingAsync(context.Records, CampaignEntity.Name, context.RecordId(argument, CampaignEntity.Name), argument, cancellationToken);
        return CampaignStatuses.IsClosed(campaign.GetValue<string>("status"))
            ? throw new OperationException(MarketingErrors.CampaignClosed, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; it takes no new members.", argument)
            : campaign;
    }
}
