using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Service.Sla;

/// <summary>
/// Tells a case's owner when the system moves its SLA state to a warning or a breach (the sweep as
/// its clocks run out, an escalation raising its priority), inside that write: the notice is saved in
/// the write's transaction, so it is sent exactly when the move commits, once per move, and a move
/// refused or rolled back sends nothing. A move an agent makes by their own operation (a late answer)
/// is announced to nobody: they are looking at the case.
/// </summary>
internal sealed class SlaMoveNotice : IBeforeRecordHook
{
    public string Entity => CaseEntity.Name;

    public RecordOperations Operations => RecordOperations.Update;

    /// <summary>After <see cref="CaseHooks"/>, which may recompute the state (a change of priority).</summary>
    public int Order => 100;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var system = record.Directory.SystemUserId;
        if (record.Identity.UserId != system || !record.IsChanging("slaState") || record.GetValue("slaState") is not (SlaStates.Warning or SlaStates.Breached)
            || record.GetValue("ownerId") is not Guid owner || owner == system)
        {
            return;
        }

        var number = record.GetValue("number");
        var message = SlaStates.Breached.Equals(record.GetValue("slaState"))
            ? $"Case {number} breached its SLA. / 工单 {number} 已超出服务时限。"
            : $"Case {number} is close to breaching its SLA. / 工单 {number} 即将超出服务时限。";
        await record.Notifications.NotifyAsync(owner, message, CaseEntity.Name, record.RecordId, cancellationToken);
    }
}
