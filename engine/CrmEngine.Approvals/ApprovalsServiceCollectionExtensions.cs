using CrmEngine.Approvals.Api;
using CrmEngine.Approvals.Locking;
using CrmEngine.Approvals.Processes;
using CrmEngine.Approvals.Requests;
using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using CrmEngine.PluginHost.Adapters;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Approvals;

public static class ApprovalsServiceCollectionExtensions
{
    /// <summary>
    /// Generic approvals: their tables, the lock on approval-controlled fields in every update (a
    /// validate hook), the service (GraphQL fields and the SDK's IApprovals for plugins' operations),
    /// and the processes plugins declare.
    /// </summary>
    public static IServiceCollection AddCrmApprovals(this IServiceCollection services)
    {
        services.AddSingleton<ISystemTables, ApprovalTables>();
        services.AddSingleton<ProcessCatalog>();
        services.AddSingleton<IChangeHandler, ProcessChangeHandler>();
        services.AddSingleton<IRecordHook, ApprovalLockHook>();
        services.AddSingleton<ProcessAdmin>();
        services.AddSingleton<ApproverResolver>();
        services.AddSingleton<StepFlow>();
        services.AddSingleton<ApprovalMail>();
        services.AddSingleton<Delegations>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<ApprovalReads>();
        services.AddSingleton<IPluginApprovals, PluginApprovals>();
        services.AddSingleton<ISchemaContributor, ApprovalsContributor>();
        return services;
    }
}
