namespace CrmEngine.Files;

/// <summary>The files service's settings, from "Crm:Files".</summary>
public sealed class FileOptions
{
    public const string Section = "Crm:Files";

    /// <summary>Where file contents are kept: "local" (under the data directory, the default) or "s3".</summary>
    public string Storage { get; set; } = "local";

    /// <summary>The S3-compatible store, when <see cref="Storage"/> is "s3".</summary>
    public S3Settings S3 { get; set; } = new();

    /// <summary>How long a download link works after it is issued.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The API's public origin (https://crm.example.com), making download links absolute; without it
    /// they are paths on the origin the API was called on.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The limits of tenants without their own.</summary>
    public FileLimits Limits { get; set; } = new();

    /// <summary>Limits of particular tenants, by tenant id; what one leaves out comes from <see cref="Limits"/>.</summary>
    public Dictionary<string, FileLimits> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The limits that apply to a tenant.</summary>
    public FileLimits LimitsOf(string tenantId) =>
        Tenants.TryGetValue(tenantId, out var own)
            ? new FileLimits
            {
                MaxFileBytes = own.MaxFileBytes ?? Limits.MaxFileBytes,
                MaxFilesPerRequest = own.MaxFilesPerRequest ?? Limits.MaxFilesPerRequest,
                AllowedContentTypes = own.AllowedContentTypes ?? Limits.AllowedContentTypes,
            }
            : Limits;
}

/// <summary>What a tenant may upload.</summary>
public sealed class FileLimits
{
    public const long DefaultMaxFileBytes = 25L * 1024 * 1024;

    /// <summary>The largest file, in bytes (25 MB by default).</summary>
    public long? MaxFileBytes { get; set; } = DefaultMaxFileBytes;

    /// <summary>How many files one request may upload.</summary>
    public int? MaxFilesPerRequest { get; set; } = 10;

    /// <summary>The sniffed content types accepted (see <see cref="Uploads.ContentSniffer"/>).</summary>
    public List<string>? AllowedContentTypes { get; set; } =
    [
        "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "application/zip", "text/plain",
        Uploads.ContentSniffer.Docx, Uploads.ContentSniffer.Xlsx, Uploads.ContentSniffer.Pptx,
    ];

    public long MaxBytes => MaxFileBytes ?? DefaultMaxFileBytes;

    public int MaxFiles => MaxFilesPerRequest ?? 10;

    public bool Allows(string contentType) => AllowedContentTypes?.Contains(contentType, StringComparer.OrdinalIgnoreCase) ?? true;
}

/// <summary>An S3-compatible object store (AWS S3, MinIO, s3rver...).</summary>
public sealed class S3Settings
{
    /// <summary>The service URL, such as http://127.0.0.1:4568; empty for AWS with <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = "crm-files";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (bucket in the path), which most self-hosted stores need.</summary>
    public bool ForcePathStyle { get; set; } = true;
}
