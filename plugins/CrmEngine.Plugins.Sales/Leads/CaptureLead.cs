using CrmEngine.Plugins.Sales.Activities;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// <c>captureLead(input)</c>: the door for web forms and integrations. The lead is cleaned, checked
/// for duplicates on the tenant's keys and, per the tenant's duplicate setting, merged into the lead
/// or account it repeats (filling only empty fields, counting the repeat, telling the owner) or
/// created and linked to it. New leads are scored and assigned by the lead hooks.
/// </summary>
internal sealed class CaptureLead : IPluginOperation
{
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
        new FieldRef("outcome", TypeRef.Enum("CaptureOutcome", "CREATED", "MERGED", "LINKED").NonNull(), "CREATED: a new lead. MERGED: folded into the existing lead or account. LINKED: a new lead pointing at what it duplicates."),
        new FieldRef("lead", TypeRef.Entity(LeadEntity.Name), "The lead that holds the capture (the existing one when merged; null when merged into an account)."),
        new FieldRef("duplicateOf", TypeRef.Entity(LeadEntity.Name)),
        new FieldRef("account", TypeRef.Entity("account"), "The existing customer the lead belongs to, if any."),
        new FieldRef("matchedOn", TypeRef.ListOf(TypeRef.String).NonNull(), "The keys that matched: email, phone, company.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var input = Args.Input(context);
        var values = new FieldValues();
        foreach (var field in Copied)
        {
            if (Args.Text(input, field) is { } text)
            {
                values[field] = text;
            }
        }

        if (!values.TryGetValue("name", out var name))
        {
            throw new OperationException(SalesErrors.InvalidInput, "A lead needs the person's name.", "name");
        }

        _ = name;

        if (!values.ContainsKey("email") && !values.ContainsKey("phone"))
        {
            throw new OperationException(SalesErrors.InvalidInput, "A lead needs an e-mail address or a phone number to be followed up.", "email");
        }

        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var match = await LeadMatcher.FindAsync(context.Records, settings, Args.Text(input, "email"), Args.Text(input, "phone"), Args.Text(input, "company"), null, cancellationToken);
        if (settings.DuplicateAction == "merge" && match.Lead is { } existing)
        {
            var merged = await MergeAsync(context, existing, values, cancellationToken);
            return Outcome("MERGED", await Visibility.AsSeenAsync(context, merged, cancellationToken), existing, null, match.MatchedOn);
        }

        if (settings.DuplicateAction == "merge" && match.Account is { } customer && customer.GetValue<bool?>("inPool") != true)
        {
            await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(ActivityEntity.Name, new FieldValues
            {
                ["subject"] = $"New inquiry via {values["source"]}: {values["name"]}",
                ["type"] = "note",
                ["notes"] = string.Join("\n", values.Select(v => $"{v.Key}: {v.Value}")),
                ["account"] = customer.Id,
                ["ownerId"] = customer.OwnerId,
            }, cancellationToken));
            if (customer.OwnerId is { } owner)
            {
                await context.Notifications.NotifyAsync(owner, $"客户「{customer.GetValue<string>("name")}」有新的咨询：{values["name"]}（{values["source"]}）", "account", customer.Id, cancellationToken);
            }

            return Outcome("MERGED", null, null, customer, match.MatchedOn);
        }

        values["lastCapturedAt"] = DateTime.UtcNow;
        var lead = await Writes.RequireAsync(context.Records.CreateAsync(LeadEntity.Name, values, cancellationToken));
        var duplicateOf = lead.GetValue("duplicateOf") is Guid original ? await context.Records.GetAsync(LeadEntity.Name, original, cancellationToken) : null;
        var account = lead.GetValue("account") is Guid accountId ? await context.Records.GetAsync("account", accountId, cancellationToken) : null;
        return Outcome(duplicateOf is null && account is null ? "CREATED" : "LINKED", lead, duplicateOf, account, match.MatchedOn);
    }

    private static async Task<CrmRecord> MergeAsync(IOperationContext context, CrmRecord existing, FieldValues values, CancellationToken cancellationToken)
    {
        // Merging never overwrites what the rep already knows: only empty fields are filled.
        var changes = values.Where(v => existing.GetValue(v.Key) is null).ToDictionary(v => v.Key, v => v.Value);
        changes["duplicateCount"] = (existing.GetValue<long?>("duplicateCount") ?? 0) + 1;
        changes["lastCapturedAt"] = DateTime.UtcNow;
        var merged = await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(LeadEntity.Name, existing.Id, changes, existing.Version, cancellationToken));
        if (existing.OwnerId is { } owner)
        {
            await context.Notifications.NotifyAsync(owner, $"线索「{existing.GetValue<string>("name")}」再次提交（{values["source"]}），已合并", LeadEntity.Name, existing.Id, cancellationToken);
        }

        return merged;
    }

    private static Dictionary<string, object?> Outcome(string outcome, CrmRecord? lead, CrmRecord? duplicateOf, CrmRecord? account, IReadOnlyList<string> matchedOn) => new()
    {
        ["outcome"] = outcome,
        ["lead"] = lead,
        ["duplicateOf"] = duplicateOf,
        ["account"] = account,
        ["matchedOn"] = matchedOn,
    };
}
