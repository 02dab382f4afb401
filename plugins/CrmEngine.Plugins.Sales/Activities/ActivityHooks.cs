using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Leads;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Sales.Activities;

/// <summary>
/// A follow-up is about something: it needs a lead, account, contact or opportunity (the account is
/// filled in from the contact or opportunity). Once done, it moves its records' follow-up dates on:
/// last follow-up, next follow-up, a new lead becomes contacted, a prospect account contacted. These
/// bookkeeping writes join the activity's transaction.
/// </summary>
internal sealed class ActivityHooks : IBeforeRecordHook
{
    private static readonly string[] Subjects = ["lead", "account", "contact", "opportunity"];
    private static readonly string[] FollowUpFields = ["status", "occurredAt", "nextContactAt", "lead", "account", "opportunity"];

    public string Entity => ActivityEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (Subjects.All(f => record.GetValue(f) is null))
        {
            record.Reject("A follow-up must be about a lead, an account, a contact or an opportunity.", "account");
            return;
        }

        // What the follow-up is about is read with full permissions, but only what its writer can
        // see counts (a hidden record is left for the engine to refuse, as one that doesn't exist).
        var records = record.PrivilegedRecords;
        CrmRecord? derivedAccount = null;
        if (record.GetValue("account") is null)
        {
            var from = await Visibility.LinkedAsync(record, "contact", ContactEntity.Name, cancellationToken)
                ?? await Visibility.LinkedAsync(record, "opportunity", OpportunityEntity.Name, cancellationToken);
            if (from?.GetValue("account") is Guid accountId)
            {
                record.SetValue("account", accountId);
                derivedAccount = await records.GetAsync(AccountEntity.Name, accountId, cancellationToken);
            }
        }

        var now = DateTime.UtcNow;
        if (record.GetValue("occurredAt") is not DateTime occurredAt)
        {
            occurredAt = now;
            record.SetValue("occurredAt", now);
        }

        if (record.GetValue("status") as string == "done" && occurredAt > now.AddMinutes(5))
        {
            record.Reject("A follow-up that is done can't have happened in the future; plan it instead (status planned).", "occurredAt");
            return;
        }

        if (record.Operation == RecordOperations.Update && !FollowUpFields.Any(record.IsChanging))
        {
            return;
        }

        var done = record.GetValue("status") as string == "done";
        var next = done ? record.GetValue("nextContactAt") as DateTime? : occurredAt;
        var lead = await Visibility.LinkedAsync(record, "lead", LeadEntity.Name, cancellationToken);
        await FollowUpAsync(record, records, lead, "lastActivityAt", done, occurredAt, next, current => current.GetValue<string>("status") == "new" && done ? new FieldValues { ["status"] = "contacted" } : [], cancellationToken);
        var account = derivedAccount ?? await Visibility.LinkedAsync(record, "account", AccountEntity.Name, cancellationToken);
        await FollowUpAsync(record, records, account, "lastFollowUpAt", done, occurredAt, next, current => current.GetValue<string>("lifecycleStage") == "prospect" && done ? new FieldValues { ["lifecycleStage"] = "contacted" } : [], cancellationToken);
        var opportunity = await Visibility.LinkedAsync(record, "opportunity", OpportunityEntity.Name, cancellationToken);
        await FollowUpAsync(record, records, opportunity, "lastActivityAt", done, occurredAt, next, _ => [], cancellationToken);
    }

    private static async Task FollowUpAsync(IRecordContext record, IRecordApi records, CrmRecord? target, string lastField, bool done, DateTime occurredAt, DateTime? next, Func<CrmRecord, FieldValues> more, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            return;
        }

        var changes = more(target);
        if (done && (target.GetValue(lastField) is not DateTime last || last < occurredAt))
        {
            changes[lastField] = occurredAt;
        }

        var currentNext = target.GetValue("nextFollowUpAt") as DateTime?;
        if (next is not null)
        {
            changes["nextFollowUpAt"] = next;
        }
        else if (done && currentNext <= occurredAt)
        {
            // The follow-up that was due has been done, and no new one was set.
            changes["nextFollowUpAt"] = null;
        }

        if (changes.Count > 0)
        {
            await Writes.OrRejectAsync(record, records.UpdateAsync(target.Entity, target.Id, changes, cancellationToken: cancellationToken));
        }
    }
}
