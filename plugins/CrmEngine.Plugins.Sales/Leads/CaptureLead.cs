using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// <c>captureLead(input)</c>: the door for web forms and integrations. The lead is cleaned and
/// checked for duplicates on the tenant's keys. Per the tenant's duplicate setting, the same person
/// again is merged into their lead (filling only empty fields, counting the repeat, telling the
/// owner) or logged on the customer whose contact they are; anything else, another person at a known
/// company included, becomes a new lead that the lead hooks link to what it repeats or sits beside.
/// Every capture is kept as submitted (<see cref="LeadCaptureEntity"/>), so a merge loses nothing.
/// New leads are scored and assigned by the lead hooks.
/// </summary>
internal sealed class CaptureLead : IPluginOperation
{
    private static readonly string[] Links = ["duplicateOf", "relatedLead", "account"];
    private static readonly string[] Copied = ["name", "company", "title", "email", "phone", "province", "city", "industry", "source", "description"];

    public string Name => "captureLead";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Captures a lead from a web form or integration: cleaned, de-duplicated (merged or linked per the tenant's setting), scored and assigned.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("input", TypeRef.Input("CaptureLeadInput",
            new FieldRef("name", TypeRef.String.NonNull(), "The person's name."),
            new FieldRef("company", TypeRef.String),
            new FieldRef("title", TypeRef.String),
            new FieldRef("email", TypeRef.String),
            new FieldRef("phone", TypeRef.String),
            new FieldRef("province", TypeRef.String),
            new FieldRef("city", TypeRef.String),
            new FieldRef("industry", TypeRef.String),
            new FieldRef("source", TypeRef.String.NonNull(), "The channel: webForm, social, event, import, api, referral, coldCall or other."),
            new FieldRef("description", TypeRef.String)).NonNull()),
    ];

    public TypeRef Result => TypeRef.Object("CaptureLeadResult",
        new FieldRef("outcome", TypeRef.Enum("CaptureOutcome", "CREATED", "MERGED", "LINKED").NonNull(), "CREATED: a new lead. MERGED: the same person, folded into their lead or logged on their account. LINKED: a new lead pointing at what it repeats, or at the lead of a colleague at the same company."),
        new FieldRef("lead", TypeRef.Entity(LeadEntity.Name), "The lead that holds the capture (the existing one when merged; null when logged on an account), as the caller may see it."),
        new FieldRef("duplicateOf", TypeRef.Entity(LeadEntity.Name), "The lead of the same person: the one merged into, or the one a linked lead repeats."),
        new FieldRef("relatedLead", TypeRef.Entity(LeadEntity.Name), "LINKED: the lead of another person at the same company."),
        new FieldRef("account", TypeRef.Entity("account"), "The existing customer the lead belongs to, if any."),
        new FieldRef("capture", TypeRef.Entity(LeadCaptureEntity.Name), "The capture as submitted, naming what was not merged, as the caller may see it."),
        new FieldRef("matchedOn", TypeRef.ListOf(TypeRef.String).NonNull(), "The keys that matched: email, phone, company.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var submitted = Submitted(Args.Input(context));
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var match = await LeadMatcher.FindAsync(context.Records, settings, submitted.GetValueOrDefault("email") as string, submitted.GetValueOrDefault("phone") as string, submitted.GetValueOrDefault("company") as string, null, cancellationToken);
        var now = DateTime.UtcNow;
        if (settings.DuplicateAction == "merge" && match.SamePerson)
        {
            if (match.Lead is { } existing)
            {
                return await MergeAsync(context, existing, submitted, match, now, cancellationToken);
            }

            if (match.Account is { } customer && customer.GetValue<bool?>("inPool") != true)
            {
                return await LogOnAccountAsync(context, customer, submitted, match, now, cancellationToken);
            }
        }

        var lead = await Writes.RequireAsync(context.Records.CreateAsync(LeadEntity.Name, new FieldValues(submitted) { ["lastCapturedAt"] = now }, cancellationToken));
        var linked = Links.Any(f => lead.GetValue(f) is not null);
        var capture = await LeadCaptureEntity.RecordAsync(context, submitted, new Capture(linked ? "linked" : "created", lead.Id, lead.GetValue("account") as Guid?, lead.OwnerId, match.MatchedOn, [], now), cancellationToken);
        return await OutcomeAsync(context, linked ? "LINKED" : "CREATED", lead, capture, match, cancellationToken);
    }

    private static FieldValues Submitted(IReadOnlyDictionary<string, object?> input)
    {
        var values = new FieldValues();
        foreach (var field in Copied)
        {
            if (Args.Text(input, field) is { } text)
            {
                values[field] = text;
            }
        }

        if (!values.ContainsKey("name"))
        {
            throw new OperationException(SalesErrors.InvalidInput, "A lead needs the person's name.", "name");
        }

        if (!values.ContainsKey("email") && !values.ContainsKey("phone"))
        {
            throw new OperationException(SalesErrors.InvalidInput, "A lead needs an e-mail address or a phone number to be followed up.", "email");
        }

        return values;
    }

    /// <summary>
    /// The same person again: only the lead's empty fields are filled, since what the rep knows
    /// stands. Whatever the capture says differently stays on its capture record, and the owner's
    /// notice names it.
    /// </summary>
    private static async Task<object?> MergeAsync(IOperationContext context, CrmRecord match, FieldValues submitted, LeadMatch found, DateTime now, CancellationToken cancellationToken)
    {
        // Compared with the lead as stored: a field the caller's role hides is not an empty one.
        var existing = await context.PrivilegedRecords.GetAsync(LeadEntity.Name, match.Id, cancellationToken) ?? match;
        var changes = submitted.Where(v => existing.GetValue(v.Key) is null).ToDictionary(v => v.Key, v => v.Value);
        var notMerged = submitted.Where(v => existing.GetValue(v.Key) is { } current && !Normalize.Same(v.Key, current, v.Value)).Select(v => v.Key).ToList();
        changes["duplicateCount"] = (existing.GetValue<long?>("duplicateCount") ?? 0) + 1;
        changes["lastCapturedAt"] = now;
        var merged = await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(LeadEntity.Name, existing.Id, changes, existing.Version, cancellationToken));
        var capture = await LeadCaptureEntity.RecordAsync(context, submitted, new Capture("merged", existing.Id, existing.GetValue("account") as Guid?, existing.OwnerId, found.MatchedOn, notMerged, now), cancellationToken);
        if (existing.OwnerId is { } owner)
        {
            var kept = notMerged.Count == 0 ? string.Empty : $"；不同的{string.Join("、", notMerged)}已保留在提交记录中";
            await context.Notifications.NotifyAsync(owner, $"线索「{existing.GetValue<string>("name")}」再次提交（{submitted["source"]}），已合并{kept}", LeadEntity.Name, existing.Id, cancellationToken);
        }

        return await OutcomeAsync(context, "MERGED", merged, capture, found, cancellationToken);
    }

    /// <summary>A contact of a customer we hold inquires again: the inquiry goes on the account's timeline and its owner is told.</summary>
    private static async Task<object?> LogOnAccountAsync(IOperationContext context, CrmRecord customer, FieldValues submitted, LeadMatch found, DateTime now, CancellationToken cancellationToken)
    {
        await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(ActivityEntity.Name, new FieldValues
        {
            ["subject"] = $"New inquiry via {submitted["source"]}: {submitted["name"]}",
            ["type"] = "note",
            ["notes"] = string.Join("\n", submitted.Select(v => $"{v.Key}: {v.Value}")),
            ["account"] = customer.Id,
            ["ownerId"] = customer.OwnerId,
        }, cancellationToken));
        var capture = await LeadCaptureEntity.RecordAsync(context, submitted, new Capture("merged", null, customer.Id, customer.OwnerId, found.MatchedOn, [], now), cancellationToken);
        if (customer.OwnerId is { } owner)
        {
            await context.Notifications.NotifyAsync(owner, $"客户「{customer.GetValue<string>("name")}」有新的咨询：{submitted["name"]}（{submitted["source"]}）", "account", customer.Id, cancellationToken);
        }

        return await OutcomeAsync(context, "MERGED", null, capture, found, cancellationToken);
    }

    private static async Task<Dictionary<string, object?>> OutcomeAsync(IOperationContext context, string outcome, CrmRecord? lead, CrmRecord capture, LeadMatch found, CancellationToken cancellationToken)
    {
        async Task<CrmRecord?> LinkAsync(string field, string entity) =>
            lead?.GetValue(field) is Guid id ? await context.Records.GetAsync(entity, id, cancellationToken) : null;

        // Merged: what the capture repeats, as matched; created or linked: what the new lead points at.
        var merged = outcome == "MERGED";
        return new Dictionary<string, object?>
        {
            ["outcome"] = outcome,
            ["lead"] = await Visibility.AsSeenAsync(context, lead, cancellationToken),
            ["duplicateOf"] = merged ? found.Lead : await LinkAsync("duplicateOf", LeadEntity.Name),
            ["relatedLead"] = merged ? null : await LinkAsync("relatedLead", LeadEntity.Name),
            ["account"] = merged ? found.Account : await LinkAsync("account", "account"),
            ["capture"] = await Visibility.AsSeenAsync(context, capture, cancellationToken),
            ["matchedOn"] = found.MatchedOn,
        };
    }
}
