using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Sdk.Testing;

/// <summary>How <see cref="CrmTestHost.StartAsync(CrmTestHostOptions, CancellationToken)"/> sets up a host.</summary>
public sealed class CrmTestHostOptions
{
    /// <summary>
    /// Plugin folders to load: each one holds a <c>plugin.json</c> and the plugin's assemblies (a
    /// plugin project's build output, such as <c>bin/Debug/net10.0</c>). They are copied into the
    /// host's temporary plugin directory, so rebuilding a plugin while tests run doesn't disturb them.
    /// A relative path is taken from the test assembly's folder (<see cref="AppContext.BaseDirectory"/>).
    /// </summary>
    public IList<string> PluginFolders { get; } = [];

    /// <summary>
    /// A PostgreSQL server to store the data on: a connection string whose user may create databases.
    /// The host gets a database of its own there, dropped when the host is disposed. Null (the
    /// default) stores the data in SQLite files in the host's temporary data directory.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// Host configuration on top of the test defaults (keys as in <c>appsettings.json</c>, such as
    /// <c>Crm:MaxPageSize</c>). The defaults: no demo tenant, no default plugins, refusals answered
    /// at once, and no background job scheduling (run jobs with <see cref="CrmTestHost.RunDueJobsAsync"/>).
    /// </summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The lowest level the host logs at (to the console); <see cref="LogLevel.Warning"/> by default.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Changes to the host's services after the engine registered its own, such as an extra <see cref="ILoggerProvider"/> that captures logs.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }
}
