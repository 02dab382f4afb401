using CrmEngine.Sdk.Jobs;
using CrmEngine.Sdk.Rules;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Tasks;

/// <summary>Every morning at 08:00 UTC, logs how many tasks are open (and fails while a task is titled "job boom").</summary>
public sealed class MorningDigest : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "morning-digest";

    /// <inheritdoc/>
    public string Cron => "0 8 * * *";

    /// <inheritdoc/>
    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var open = await context.Records.FindAsync("task", Condition.Eq("status", "open"), 500, cancellationToken);
        if (open.Any(t => t.GetValue<string>("title") == "job boom"))
        {
            throw new InvalidOperationException("SECRET job detail: digest template missing");
        }

        await context.Records.CreateAsync("taskEvent", new Dictionary<string, object?> { ["message"] = $"digest {context.ScheduledAt:yyyy-MM-dd}: {open.Count} open" }, cancellationToken);
    }
}

/// <summary>The first time a tenant enables the plugin, it gets a welcome task (the seed fails on a tenant with a user named "Seed Breaker").</summary>
public sealed class WelcomeTask : IPluginSeed
{
    /// <inheritdoc/>
    public async Task SeedAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        // A tenant made with the Seed Breaker user, or whose id says so (a default plugin on a new tenant).
        if (context.Identity.TenantId.StartsWith("seed-breaker", StringComparison.Ordinal)
            || (await context.Directory.GetUsersAsync(cancellationToken)).Any(u => u.DisplayName == "Seed Breaker"))
        {
            throw new InvalidOperationException("SECRET seed detail: fixture file tasks.csv not found");
        }

        await context.Records.CreateAsync("task", new Dictionary<string, object?> { ["title"] = "Welcome 欢迎", ["priority"] = 1 }, cancellationToken);
    }
}

/// <summary>A function rules can call: the label of a priority (it throws for 99).</summary>
public sealed class PriorityLabel : IRuleFunction
{
    /// <inheritdoc/>
    public string Name => "priorityLabel";

    /// <inheritdoc/>
    public string Description => "Turns a priority 1-5 into a word.";

    /// <inheritdoc/>
    public Task<object?> InvokeAsync(IRuleFunctionContext context, IReadOnlyList<object?> arguments, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Values.Convert<long>(arguments.Count > 0 ? arguments[0] : null) switch
        {
            1 => "urgent",
            2 => "high",
            3 => "normal",
            99 => throw new InvalidOperationException("SECRET function detail: label table corrupt"),
            _ => "low",
        });
}
