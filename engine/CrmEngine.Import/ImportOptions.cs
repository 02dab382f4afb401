namespace CrmEngine.Import;

/// <summary>Limits and tuning of imports (configuration section <c>Crm:Import</c>).</summary>
public sealed class ImportOptions
{
    public const string Section = "Crm:Import";

    /// <summary>The largest file a tenant may upload, in bytes (100 MB by default: about a million CRM rows as CSV).</summary>
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Per-tenant limits that replace <see cref="MaxFileBytes"/>, by tenant id.</summary>
    public Dictionary<string, long> TenantMaxFileBytes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Rows read, converted and written together: one transaction, one progress update.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How many refused rows a job keeps for its error report; the count covers them all.</summary>
    public int MaxReportedRows { get; set; } = 10_000;

    /// <summary>Jobs this host runs at once; more wait their turn.</summary>
    public int MaxConcurrentJobs { get; set; } = 2;

    /// <summary>Where uploads wait for their job, relative to the data directory; a job deletes its file when it ends.</summary>
    public string SpoolDirectory { get; set; } = "import-spool";

    /// <summary>A running job whose host has not reported progress for this long is taken for interrupted (its host stopped).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    public long MaxFileBytesFor(string tenantId) => TenantMaxFileBytes.TryGetValue(tenantId, out var limit) ? limit : MaxFileBytes;
}
