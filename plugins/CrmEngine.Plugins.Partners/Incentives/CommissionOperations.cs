using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>Every hour, payments collected on partner-sourced deals earn their partner's commission (<see cref="CommissionAccrual"/>).</summary>
internal sealed class CommissionJob : IScheduledJob
{
    public string Name => "accrue-partner-commissions";

    public string Cron => "20 * * * *";

    public Task RunAsync(IJobContext context, CancellationToken cancellationToken) => CommissionAccrual.AccrueAsync(context.Records, cancellationToken);
}

/// <summary><c>accruePartnerCommissions</c>: what the hourly job does, now (channel managers and admins).</summary>
internal sealed class AccruePartnerCommissions : IPluginOperation
{
    public string Name => "accruePartnerCommissions";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Counts the payments collected on partner-sourced deals that no commission counts yet; returns how many commissions it created.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    public TypeRef Result => TypeRef.Int.NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        ChannelManagers.Require(context);
        return await CommissionAccrual.AccrueAsync(context.PrivilegedRecords, cancellationToken);
    }
}
