using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Chores;

/// <summary>Every two seconds: logs "tick".</summary>
public sealed class Tick : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "tick";

    /// <inheritdoc/>
    public string Cron => "*/2 * * * * *";

    /// <inheritdoc/>
    public Task RunAsync(IJobContext context, CancellationToken cancellationToken) =>
        context.Records.CreateAsync("choreLog", new Dictionary<string, object?> { ["message"] = "tick" }, cancellationToken);
}

/// <summary>Once a year (run it by hand): logs the settings as the job sees them.</summary>
public sealed class Report : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "report";

    /// <inheritdoc/>
    public string Cron => "0 0 1 1 *";

    /// <inheritdoc/>
    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken) =>
        await context.Records.CreateAsync("choreLog", new Dictionary<string, object?> { ["message"] = "report: " + await ChoresPlugin.DescribeAsync(context.Settings, cancellationToken) }, cancellationToken);
}

/// <summary>Once a year (run it by hand): fails, with a detail no client may see.</summary>
public sealed class Broken : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "broken";

    /// <inheritdoc/>
    public string Cron => "0 0 1 1 *";

    /// <inheritdoc/>
    public Task RunAsync(IJobContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("SECRET chore detail: connection string Password=hunter2");
}

/// <summary>Once a year (run it by hand): refuses with its own code.</summary>
public sealed class Refusing : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "refusing";

    /// <inheritdoc/>
    public string Cron => "0 0 1 1 *";

    /// <inheritdoc/>
    public Task RunAsync(IJobContext context, CancellationToken cancellationToken) =>
        throw new OperationException("CHORES_NOTHING_TO_DO", "There is nothing to do today.");
}

/// <summary>Once a year (run it by hand): waits until a log entry says "release", then logs "slow done".</summary>
public sealed class Slow : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "slow";

    /// <inheritdoc/>
    public string Cron => "0 0 1 1 *";

    /// <inheritdoc/>
    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await context.Records.FindAsync("choreLog", Condition.Eq("message", "release"), 1, patience.Token)).Count == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token);
        }

        await context.Records.CreateAsync("choreLog", new Dictionary<string, object?> { ["message"] = "slow done" }, cancellationToken);
    }
}

/// <summary>query choreSettings: the settings as an operation sees them.</summary>
public sealed class ChoreSettings : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "choreSettings";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "The settings as the plugin reads them.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.String.NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken) =>
        await ChoresPlugin.DescribeAsync(context.Settings, cancellationToken);
}
