using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// 线索提交记录: one capture from a web form or an integration, exactly as submitted, and what became
/// of it. A repeat merged into the person's lead fills only the lead's empty fields (what the rep
/// knows stands); whatever it submitted differently stays here, named in notMerged, so no capture
/// loses what was submitted. The owner is the owner of the lead (or account) the capture went to.
/// </summary>
internal static class LeadCaptureEntity
{
    public const string Name = "leadCapture";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => LeadEntity.Submitted(e
        .Label("Lead capture", "线索提交记录")
        .Description("A lead as a web form or integration submitted it, and what became of it: a new lead, a link, or a merge (with the values that were not merged).", "网页表单或接口提交的原始线索及处理结果：新建、关联或合并（含未合并的值）。"), findable: false)
        .LongText("description", f => f.Label("Notes", "备注"))
        .Picklist("outcome", f => f.Label("Outcome", "处理结果")
            .Option("created", "New lead", "新建线索").Option("linked", "New lead, linked", "新建并关联").Option("merged", "Merged", "已合并").Required().Indexed())
        .Lookup("lead", LeadEntity.Name, f => f.Label("Lead", "线索").Inverse("captures"))
        .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Inverse("leadCaptures"))
        .Text("matchedOn", f => f.Label("Matched on", "匹配字段").MaxLength(100))
        .Text("notMerged", f => f.Label("Not merged (differs from the lead)", "未合并字段（与原值不同）").MaxLength(200))
        .DateTime("capturedAt", f => f.Label("Captured", "提交时间").Required()));

    /// <summary>
    /// Records a capture for the lead or account it went to, owned by their owner. It is the plugin's
    /// own bookkeeping, written with full permissions whatever the caller may create; a submitted
    /// value that is not valid refuses the capture, as it would refuse a new lead.
    /// </summary>
    public static async Task<CrmRecord> RecordAsync(IOperationContext context, FieldValues submitted, Capture capture, CancellationToken cancellationToken)
    {
        var values = new FieldValues(submitted)
        {
            ["outcome"] = capture.Outcome,
            ["lead"] = capture.Lead,
            ["account"] = capture.Account,
            ["matchedOn"] = capture.MatchedOn.Count == 0 ? null : string.Join(", ", capture.MatchedOn),
            ["notMerged"] = capture.NotMerged.Count == 0 ? null : string.Join(", ", capture.NotMerged),
            ["capturedAt"] = capture.At,
        };
        if (capture.Owner is { } owner)
        {
            values["ownerId"] = owner;
        }

        return await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(Name, values, cancellationToken));
    }
}

/// <summary>What became of one capture: its outcome, where it went (and whose that is), the keys it matched on and the submitted fields not merged.</summary>
internal sealed record Capture(string Outcome, Guid? Lead, Guid? Account, Guid? Owner, IReadOnlyList<string> MatchedOn, IReadOnlyList<string> NotMerged, DateTime At);
