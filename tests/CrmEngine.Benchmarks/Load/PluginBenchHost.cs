using CrmEngine.Sdk.Testing;

namespace CrmEngine.Benchmarks.Load;

/// <summary>
/// Options of the testing kit's real host, in the benchmark's process, for the module benchmarks:
/// the named plugins loaded from their folders as plugins (built into <c>plugins/</c> beside the
/// benchmark), SQLite files or a PostgreSQL database of its own (<c>--store postgres</c>,
/// <c>--postgres</c>), the Crm__Endpoint settings a load run sets, and jobs run only when the
/// benchmark says.
/// </summary>
internal static class PluginBenchHost
{
    public static bool IsPostgres(string[] args) => LoadCommand.Option(args, "--store", "sqlite") == "postgres";

    public static CrmTestHostOptions Options(string[] args, params string[] pluginProjects)
    {
        var options = new CrmTestHostOptions
        {
            PostgresConnectionString = IsPostgres(args) ? LoadCommand.Option(args, "--postgres", Environment.GetEnvironmentVariable("CRM_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=postgres") : null,
        };
        foreach (var plugin in pluginProjects)
        {
            options.PluginFolders.Add(Path.Combine(AppContext.BaseDirectory, "plugins", plugin));
        }

        foreach (var (name, value) in LoadCommand.HostEnvironment(new Dictionary<string, string>()).Where(e => e.Key.StartsWith("Crm__Endpoint", StringComparison.Ordinal)))
        {
            options.Settings[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        options.Settings["Crm:JobsEnabled"] = "false";
        return options;
    }
}
