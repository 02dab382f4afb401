using System.Diagnostics;
using System.Globalization;
using CrmEngine.Engine;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// Runs pg_dump and pg_restore, PostgreSQL's own tools for moving a schema in and out. Found in
/// <c>Crm:Storage:PgToolsDirectory</c>, else on the PATH, else in the newest /usr/lib/postgresql/N/bin.
/// The connection goes through libpq's environment variables, so a password never shows on a command line.
/// </summary>
public sealed class PgTools(IOptions<CrmEngineOptions> options)
{
    public async Task<string> RunAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Find(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = connection.Database;
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGAPPNAME"] = "crmengine-" + tool;
        if (connection.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        if (connection.SslMode is not SslMode.Prefer)
        {
            start.Environment["PGSSLMODE"] = connection.SslMode.ToString().ToLowerInvariant() switch
            {
                "verifyca" => "verify-ca",
                "verifyfull" => "verify-full",
                var mode => mode,
            };
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new PgToolException(tool, process.ExitCode, (await errors).Trim());
        }

        return await output;
    }

    private string Find(string tool)
    {
        if (options.Value.Storage.PgToolsDirectory is { Length: > 0 } configured)
        {
            return Path.Combine(configured, tool);
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", tool)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException($"{tool} was not found on the PATH or in /usr/lib/postgresql; install the PostgreSQL client tools or set Crm:Storage:PgToolsDirectory.");
    }
}

/// <summary>A PostgreSQL tool that exited with an error, with what it said.</summary>
public sealed class PgToolException(string tool, int exitCode, string errors)
    : Exception($"{tool} failed (exit code {exitCode}): {errors}")
{
    public string Errors { get; } = errors;
}
