namespace CrmEngine.Duplicates;

/// <summary>Duplicate rules' settings (section "Crm:Duplicates").</summary>
public sealed class DuplicateOptions
{
    public const string Section = "Crm:Duplicates";

    /// <summary>The country (ISO 3166 code) PHONE conditions read national numbers in, unless a condition names its own.</summary>
    public string DefaultCountry { get; set; } = "CN";

    /// <summary>How long a host trusts its cached rules without hearing of a change (changes made anywhere reach it sooner).</summary>
    public TimeSpan RuleCacheRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many matching records are named per rule in a warning or refusal.</summary>
    public int MaxReportedMatches { get; set; } = 20;

    /// <summary>Records a scan reads and keys per transaction.</summary>
    public int ScanBatchSize { get; set; } = 5000;

    /// <summary>A running job whose host has not reported progress for this long is taken for interrupted.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);
}
