using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Marketing;

/// <summary>
/// What the marketing benchmarks share: a real host in this process (Kestrel on a loopback port) with
/// the sales and marketing plugins loaded from their folders as real plugins, a tenant with both, and
/// contacts seeded through the engine's bulk path (RecordImporter: validation, hooks and rules as a
/// create runs them, in batches). Background jobs are off: each benchmark runs the job it measures.
/// </summary>
public sealed class MarketingBench : IAsyncDisposable
{
    private MarketingBench(CrmTestHost host, CrmTestTenant tenant, CrmSession session, RecordImporter importer, bool postgres)
    {
        (Host, Tenant, Session, Importer, Postgres) = (host, tenant, session, importer, postgres);
    }

    public CrmTestHost Host { get; }

    public CrmTestTenant Tenant { get; }

    public CrmSession Session { get; }

    public RecordImporter Importer { get; }

    public bool Postgres { get; }

    public string Store => Postgres ? "PostgreSQL" : "SQLite";

    public static async Task<MarketingBench> StartAsync(string[] args)
    {
        var postgres = PluginBenchHost.IsPostgres(args);
        var options = PluginBenchHost.Options(args, "CrmEngine.Plugins.Sales", "CrmEngine.Plugins.Marketing");
        // All the load comes from one loopback address: the public endpoints' per-address limit (10/s by default) is lifted
        // as the per-caller ones are, so the limiter still runs and is measured, but no bucket empties.
        options.Settings["Crm:Endpoint:Public:PerAddress:PermitsPerSecond"] = "10000000";
        options.Settings["Crm:Endpoint:Public:PerAddress:Burst"] = "10000000";
        // A benchmark call may take longer than a request is let run (30 s): the figure is the time it takes.
        options.Settings["Crm:Endpoint:ExecutionTimeout"] = "01:00:00";
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        var host = await CrmTestHost.StartAsync(options);
        var tenant = await host.CreateTenantAsync("sales", "marketing");
        var store = await host.Services.GetRequiredService<TenantRegistry>().GetAsync(tenant.Id, CancellationToken.None);
        var session = new CrmSession(store, new CrmPrincipal(tenant.Id, Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        return new MarketingBench(host, tenant, session, host.Services.GetRequiredService<RecordImporter>(), postgres);
    }

    public static int Rows(string[] args, string name, int fallback) => int.Parse(LoadCommand.Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>
    /// Imports <paramref name="rows"/> contacts in purchasing (<see cref="Purchasing"/>, what the
    /// benchmarks' segments pick) and a tenth as many more in production, each with an e-mail address;
    /// false (and why) when any was refused.
    /// </summary>
    public async Task<bool> SeedContactsAsync(int rows)
    {
        var clock = Stopwatch.StartNew();
        var all = rows + (rows / 10);
        var result = await Importer.ImportAsync(Session, "contact", Enumerable.Range(0, all).Select(i => (IReadOnlyDictionary<string, object?>)Contact(i, i < rows ? "采购部" : "生产部")), 5000, CancellationToken.None);
        Console.WriteLine($"Seeded {result.Imported:N0} contacts ({rows:N0} in purchasing) in {clock.Elapsed.TotalSeconds:F1} s on {Store} (bulk import path).");
        if (result.Imported == all)
        {
            return true;
        }

        Console.Error.WriteLine($"The seed was refused: {string.Join("; ", result.Refused.Take(3).SelectMany(r => r.Errors).Select(e => $"{e.Code} {e.Message}"))}");
        return false;
    }

    /// <summary>A GraphQL call's data, or null (with the answer on stderr) when it failed or a user error came back.</summary>
    public async Task<JsonNode?> CallAsync(string document, object? variables = null)
    {
        GraphQLResponse answer;
        try
        {
            answer = await Tenant.Admin.PostAsync(document, variables);
        }
        catch (TaskCanceledException)
        {
            Console.Error.WriteLine("The call did not answer within the GraphQL client's 100 s.");
            return null;
        }

        if (answer.Errors is not null || answer.UserErrors.Count > 0 || answer.Data is null)
        {
            Console.Error.WriteLine($"The call failed: {answer.Raw}");
            return null;
        }

        return answer.Data;
    }

    /// <summary>How many records of an entity match a GraphQL filter (the plural's totalCount).</summary>
    public async Task<long> CountAsync(string plural, string filter = "")
    {
        var data = await CallAsync($"{{ {plural}{(filter.Length > 0 ? $"(filter: {filter})" : string.Empty)} {{ totalCount }} }}");
        return data?[plural]?["totalCount"]?.GetValue<long>() ?? -1;
    }

    /// <summary>The load on the machine now (1, 5 and 15 minute averages), printed with each figure: the machine is shared.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>The filter (as a segment stores it) of the seeded contacts in purchasing.</summary>
    public const string Purchasing = "{\"department\": {\"eq\": \"采购部\"}}";

    private static Dictionary<string, object?> Contact(int i, string department) => new Dictionary<string, object?>
    {
        ["name"] = $"联系人{i:D6}",
        ["email"] = $"contact{i:D6}@bench.example.cn",
        ["department"] = department,
    };
}
