using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Opportunities;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Approvals;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Sales.Contracts;

/// <summary>合同 and its approval log: a contract from a quote or opportunity, submitted, approved or rejected (审批).</summary>
internal static class ContractEntities
{
    public const string Contract = "contract";
    public const string Approval = "contractApproval";

    /// <summary>The contract approval process the engine's approval service runs (approvalHistory shows its requests).</summary>
    public const string Process = "salesContractApproval";

    /// <summary>What was submitted: fixed while pending (the approval service's lock) and once approved (<see cref="ContractGuard"/>).</summary>
    public static readonly string[] Terms = ["account", "amount", "startDate", "endDate", "quote", "opportunity", "name"];

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Contract, e => e
            .Label("Contract", "合同")
            .Description("A signed agreement, approved by a manager before it is signed.", "合同，签署前须经主管审批。")
            .AutoNumber("number", "HT-{yyyy}-{0000}", f => f.Label("Number", "合同编号"))
            .Text("name", f => f.Label("Name", "合同名称").Required().MaxLength(200).Searchable())
            .Lookup("account", AccountEntity.Name, f => f.Label("Account", "客户").Required().Inverse("contracts"))
            .Lookup("opportunity", OpportunityEntity.Name, f => f.Label("Opportunity", "商机").Inverse("contracts"))
            .Lookup("quote", QuoteEntities.Quote, f => f.Label("Quote", "报价单").Inverse("contracts"))
            .Money("amount", f => f.Label("Amount", "合同金额").Required().Currency("CNY").Range(0, null))
            .Date("startDate", f => f.Label("Starts", "开始日期"))
            .Date("endDate", f => f.Label("Ends", "结束日期"))
            .Date("signedOn", f => f.Label("Signed on", "签订日期"))
            .Attachment("document", f => f.Label("Documents", "合同文件"))
            .Picklist("status", f => f.Label("Approval status", "审批状态")
                .Option("draft", "Draft", "草稿").Option("pendingApproval", "Pending approval", "审批中")
                .Option("approved", "Approved", "已批准").Option("rejected", "Rejected", "已驳回").Default("draft").Indexed())
            .DateTime("submittedAt", f => f.Label("Submitted", "提交时间"))
            .DateTime("decidedAt", f => f.Label("Decided", "审批时间"))
            .Text("decisionComment", f => f.Label("Approver's comment", "审批意见").MaxLength(500)));
        builder.Entity(Approval, e => e
            .Label("Contract approval step", "合同审批记录")
            .Description("A submission, approval or rejection of a contract; createdBy is who acted.", "合同的提交、批准或驳回；创建人即操作人。")
            .Lookup("contract", Contract, f => f.Label("Contract", "合同").Required().Inverse("approvals"))
            .Picklist("action", f => f.Label("Action", "操作").Option("submitted", "Submitted", "提交").Option("approved", "Approved", "批准").Option("rejected", "Rejected", "驳回").Required())
            .Text("comment", f => f.Label("Comment", "意见").MaxLength(500))
            .DateTime("at", f => f.Label("When", "时间").Required()));
        builder.ApprovalProcess(Process, Contract, p => p
            .Step("manager", ApprovalMode.Any, [Approver.Resolved("holders of the tenant's manager role (salesSettings.managerRole)", ManagerRoleHoldersAsync), Approver.OwnersManager()])
            .Locks(Terms)
            .Status("status", "pendingApproval", "approved", "rejected", recalled: "draft")
            .AdminsMayApprove());
    }

    /// <summary>The active users holding the role the tenant's sales settings name as managers.</summary>
    private static async Task<IEnumerable<Guid>> ManagerRoleHoldersAsync(ApproverContext context, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context.Records, cancellationToken);
        return (await context.Directory.GetUsersAsync(cancellationToken)).Where(u => u.Active && u.Roles.Contains(settings.ManagerRole, StringComparer.Ordinal)).Select(u => u.Id);
    }
}

/// <summary>The approval status moves only through the approval operations, and an approved contract's terms stay as approved (while pending, the approval service locks them).</summary>
internal sealed class ContractGuard : IRecordValidator
{
    private static readonly string[] Managed = ["status", "submittedAt", "decidedAt", "decisionComment"];

    public string Entity => ContractEntities.Contract;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update | RecordOperations.Delete;

    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (!record.IsDirect)
        {
            return Task.CompletedTask;
        }

        var status = record.GetPreviousValue("status") as string;
        if (record.Operation == RecordOperations.Delete && status is "pendingApproval" or "approved")
        {
            record.Reject($"A contract that is {status} can't be deleted.");
        }
        else if (Managed.FirstOrDefault(record.IsChanging) is { } managed && (record.Operation == RecordOperations.Update || record.GetValue("status") as string != "draft"))
        {
            record.Reject("A contract's approval moves with submitContract, approveContract and rejectContract.", managed);
        }
        else if (record.Operation == RecordOperations.Update && status is "approved" && ContractEntities.Terms.FirstOrDefault(record.IsChanging) is { } term)
        {
            record.Reject($"The contract is {status}; its terms are fixed.", term);
        }

        return Task.CompletedTask;
    }
}
