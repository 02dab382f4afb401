using System.Diagnostics;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Execution;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Micro;

/// <summary>
/// <c>profile-bulk [rounds] [batch]</c>: a bulk create layer by layer, in process and in turns (no
/// HTTP, no after stage): the importer (one statement per batch, the floor), <see cref="RecordBatch"/>
/// (every item through the pipeline), and createManyLeads through GraphQL on top. Prints µs per row,
/// and EF's commands per row and the time spent in them (CRM_BENCH_SQL=1 prints each command).
/// </summary>
public static class BulkWriteProfile
{
    private const string CreateMany = "mutation($inputs: [CreateLeadInput!]!) { createManyLeads(inputs: $inputs) { results { index lead { id } userErrors { code message } } userErrors { code message } } }";

    public static async Task<int> RunAsync(int rounds, int batch)
    {
        using var services = MicroSetup.Services();
        var catalog = services.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        await catalog.CreateTenantAsync("bulk", "bulk", CancellationToken.None);
        var store = await services.GetRequiredService<TenantRegistry>().GetAsync("bulk", CancellationToken.None);
        await services.GetRequiredService<MetadataService>().CreateEntityAsync(store, LeadDataset.Lead(), null, CancellationToken.None);
        var session = new CrmSession(store, new CrmPrincipal("bulk", Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        var importer = services.GetRequiredService<RecordImporter>();
        var bulk = services.GetRequiredService<RecordBatch>();
        var executor = services.GetRequiredService<CrmGraphQLExecutor>();
        var random = new Random(7);
        var next = 0;
        List<Dictionary<string, object?>> Leads() => Enumerable.Range(0, batch).Select(_ => LeadDataset.Row(next++, random)).ToList();

        var steps = new (string Name, Func<Task> Run)[]
        {
            ("RecordImporter", async () => await importer.ImportAsync(session, "lead", Leads(), batch, CancellationToken.None)),
            ("RecordBatch", async () =>
            {
                var results = await bulk.WriteAsync(session, "lead", BulkOperation.Create, Leads().Select(l => new BulkItem(l)).ToList(), null, atomic: false, CancellationToken.None);
                if (results.FirstOrDefault(r => !r.Result.Succeeded) is { } refused)
                {
                    throw new InvalidOperationException(refused.Result.Errors[0].Message);
                }
            }),
            ("GraphQL createManyLeads", async () =>
            {
                var inputs = Leads().Select(l => (object?)Scenarios.ToGraphInput(l)).ToList();
                var result = await executor.ExecuteAsync(session, new CrmGraphQLRequest(CreateMany, null, new Inputs(new Dictionary<string, object?> { ["inputs"] = inputs }), null), null, services, CancellationToken.None);
                if (result.Errors is { Count: > 0 } errors)
                {
                    throw new InvalidOperationException(errors[0].Message);
                }
            }),
        };

        var times = steps.Select(_ => new List<double>()).ToArray();
        var commands = new long[steps.Length];
        var commandTicks = new long[steps.Length];
        var current = 0;
        using var listener = DiagnosticListener.AllListeners.Subscribe(new CommandTimer((elapsed) =>
        {
            Interlocked.Increment(ref commands[current]);
            Interlocked.Add(ref commandTicks[current], elapsed.Ticks);
        }));
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < steps.Length; s++)
            {
                current = s;
                var started = Stopwatch.GetTimestamp();
                await steps[s].Run();
                times[s].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds * 1000 / batch);
            }
        }

        // The first round warms up (JIT, caches); medians of the rest.
        for (var s = 0; s < steps.Length; s++)
        {
            var measured = times[s].Skip(1).Order().ToList();
            Console.WriteLine($"{steps[s].Name,-24} median {measured[measured.Count / 2],8:F1} µs/row  min {measured[0],8:F1} µs/row  = {1_000_000 / measured[measured.Count / 2],8:N0} rows/s; "
                + $"EF commands {commands[s] / (double)(rounds * batch):F1} per row, {TimeSpan.FromTicks(commandTicks[s]).TotalMilliseconds * 1000 / (rounds * batch):F1} µs/row in them");
        }

        return 0;
    }
}

/// <summary>Counts EF Core's executed commands and their durations (its DiagnosticListener).</summary>
internal sealed class CommandTimer(Action<TimeSpan> onExecuted) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.EntityFrameworkCore")
        {
            value.Subscribe(this);
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData executed)
        {
            onExecuted(executed.Duration);
            if (Environment.GetEnvironmentVariable("CRM_BENCH_SQL") is not null)
            {
                Console.WriteLine(executed.Command.CommandText.ReplaceLineEndings(" ")[..Math.Min(200, executed.Command.CommandText.Length)]);
            }
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
