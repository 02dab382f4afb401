namespace CrmEngine.Engine;

/// <summary>
/// Engine settings, bound from the "Crm" configuration section (appsettings.json, or environment
/// variables such as <c>Crm__DataDirectory=/var/lib/crm</c>).
/// </summary>
public sealed class CrmEngineOptions
{
    public const string Section = "Crm";

    /// <summary>
    /// Where the SQLite catalog and tenant databases live, and host-local files (the demo key).
    /// Relative paths start at the content root.
    /// </summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The most duplicates one <c>mergeRecords</c> merges into its master (Salesforce takes two, Dataverse one).</summary>
    public int MaxMergeDuplicates { get; set; } = 3;

    /// <summary>How long after a merge <c>undoMerge</c> may undo it.</summary>
    public TimeSpan MergeUndoWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Create the "demo" tenant and print its admin key on the first start of a fresh install.</summary>
    public bool CreateDemoTenant { get; set; } = true;

    public string DemoTenantId { get; set; } = "demo";

    /// <summary>
    /// Where plugin folders are found. Relative paths start at the folder of the host's binaries
    /// (AppContext.BaseDirectory), so the default, plugins/ beside CrmEngine.Host.dll, is found
    /// whatever directory the host is started from.
    /// </summary>
    public string PluginDirectory { get; set; } = "plugins";

    /// <summary>Plugins enabled on every new tenant, comma-separated ids (dependencies first is not required).</summary>
    public string DefaultPlugins { get; set; } = string.Empty;

    /// <summary>The ids in <see cref="DefaultPlugins"/>.</summary>
    public IReadOnlyList<string> DefaultPluginIds => DefaultPlugins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Tenants whose admins operate the host itself, comma-separated ids: they alone may act on what
    /// every tenant shares (reloadPlugins). None by default.
    /// </summary>
    public string OperatorTenants { get; set; } = string.Empty;

    /// <summary>Whether <paramref name="tenantId"/> is one of the <see cref="OperatorTenants"/>.</summary>
    public bool IsOperatorTenant(string tenantId) =>
        OperatorTenants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(tenantId, StringComparer.Ordinal);

    /// <summary>
    /// The longest wait between checks for due plugin job runs (runs left unfinished by a host that
    /// died, tenants that just enabled a plugin). Due times themselves are kept to the second: the
    /// scheduler wakes at the next one.
    /// </summary>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether this host runs plugin jobs on their schedules (admins can still run them with runJob).</summary>
    public bool JobsEnabled { get; set; } = true;

    /// <summary>How long the job run history keeps a run.</summary>
    public TimeSpan JobRunRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most runs the job run history keeps per job and tenant (the newest), so a job that runs every second stays bounded.</summary>
    public int JobRunsKept { get; set; } = 1000;

    /// <summary>The largest page a list query may ask for.</summary>
    public int MaxPageSize { get; set; } = 500;

    public int DefaultPageSize { get; set; } = 50;

    /// <summary>
    /// The time zone (IANA id) relative date filters and date buckets use when a query names none:
    /// "today" and "this month" are calendar days in this zone.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The most groups an aggregate query may ask for.</summary>
    public int MaxAggregateGroups { get; set; } = 1000;

    /// <summary>The most items one bulk mutation (createMany, updateMany, upsertMany) may bring; more is refused with TOO_MANY_ITEMS, nothing written.</summary>
    public int MaxBulkItems { get; set; } = 1000;

    /// <summary>
    /// How many items of a bulk mutation share one transaction (and one commit); an atomic one runs
    /// all its items in one, whatever their number.
    /// </summary>
    public int BulkChunkSize { get; set; } = 500;

    /// <summary>How deep writes caused by other writes (hooks, rules) may nest; Dataverse also stops at 8.</summary>
    public int MaxCascadeDepth { get; set; } = 8;

    /// <summary>How long a verified API key is trusted before the catalog is asked again.</summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The database engine and where the catalog and tenants live ("Crm:Storage").</summary>
    public Storage.StorageOptions Storage { get; set; } = new();

    /// <summary>
    /// The key that signs paging cursors (base64, 32 bytes or more). Hosts that serve the same
    /// tenants must share it, or a cursor from one is refused by another; when unset, a key is made
    /// once and kept in the data directory (cursor.key), which suits one host or hosts sharing that directory.
    /// </summary>
    public string? CursorSecret { get; set; }

    /// <summary>
    /// How long the changes feed keeps changes, deletions among them (docs/changes-and-subscriptions.md):
    /// a cursor older than this is refused with CURSOR_EXPIRED, and handled outbox rows older than
    /// this and a day are pruned.
    /// </summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often handled outbox rows past <see cref="ChangeRetention"/> are pruned.</summary>
    public TimeSpan ChangePruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the outbox is swept for work a signal may have missed (after a crash, say).</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
