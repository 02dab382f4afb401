using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// Every lead write, whatever made it (captureLead, createLead, an import, a rule): keeps the
/// normalised keys, scores and grades the lead, links a new lead to what it duplicates (or to a
/// colleague's lead at the same company), and assigns it so no lead waits without an owner.
/// Conversion only happens through convertLead.
/// </summary>
internal sealed class LeadHooks : IBeforeRecordHook
{
    public string Entity => LeadEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var creating = record.Operation == RecordOperations.Create;
        if (record.IsChanging("status") && record.GetValue("status") as string == "converted" && record.IsDirect)
        {
            record.Reject("Leads become converted through convertLead, which creates the account, contact and opportunity.", "status");
            return;
        }

        if (record.IsDirect && Predictions.PredictiveFields.OnLead.FirstOrDefault(record.IsChanging) is { } scoreField)
        {
            throw new Sdk.Operations.OperationException(SalesErrors.ComputedField, $"'{scoreField}' is set by the nightly predictive-scores job from the tenant's lead history.", scoreField);
        }

        var settings = await SalesSettings.LoadAsync(record, cancellationToken);
        if (creating || LeadScoring.Inputs.Any(record.IsChanging))
        {
            record.SetValue("phoneKey", Normalize.Phone(record.GetValue("phone") as string));
            record.SetValue("companyKey", Normalize.Company(record.GetValue("company") as string));
            if (!record.IsChanging("score"))
            {
                record.SetValue("score", LeadScoring.Score(record.GetValue));
            }
        }

        if ((creating || record.IsChanging("score")) && !record.IsChanging("grade") && record.GetValue("score") is long score)
        {
            record.SetValue("grade", settings.Grade(score));
        }

        if (creating)
        {
            await LinkAndAssignAsync(record, settings, cancellationToken);
        }
        else if (record.IsChanging("ownerId"))
        {
            record.SetValue("assignedAt", DateTime.UtcNow);
        }
    }

    private static async Task LinkAndAssignAsync(IRecordContext record, SalesSettings settings, CancellationToken cancellationToken)
    {
        Guid? owner = null;
        if (record.GetValue("duplicateOf") is null && record.GetValue("relatedLead") is null)
        {
            var match = await LeadMatcher.FindAsync(record.Records, settings, record.GetValue("email") as string, record.GetValue("phone") as string, record.GetValue("company") as string, record.RecordId, cancellationToken);
            if (match.Lead is { } original)
            {
                // A repeat is never silent: it points at the lead of the same person (or, for another
                // person at the same company, at their colleague's lead) and goes to the same rep.
                record.SetValue(match.SamePerson ? "duplicateOf" : "relatedLead", original.Id);
                owner = original.OwnerId;
            }
            else if (match.Account is { } account && record.GetValue("account") is null)
            {
                record.SetValue("account", account.Id);
                owner = account.GetValue<bool?>("inPool") == true ? null : account.OwnerId;
            }
        }

        // An owner the writer named explicitly stands; otherwise the module assigns.
        if (record.ChangingFields.Contains("ownerId"))
        {
            record.SetValue("assignedAt", DateTime.UtcNow);
            return;
        }

        owner ??= (await LeadAssigner.PickAsync(record.PrivilegedRecords, record.Directory, settings, record.GetValue("province") as string, record.GetValue("city") as string, cancellationToken))?.UserId;
        if (owner is { } rep)
        {
            record.SetValue("ownerId", rep);
            record.SetValue("assignedAt", DateTime.UtcNow);
        }
    }
}
