using CrmEngine.Files.Storage;
using CrmEngine.Sdk.Endpoints;
using Microsoft.Extensions.Options;

namespace CrmEngine.Files;

/// <summary>
/// Short-lived download links: a file's id signed with the host's link signer (the one plugins'
/// public endpoints use: tamper-proof, encrypted, expiring) for the files service's own purpose. A
/// link is made only for a file the caller may see at that moment (<see cref="FilesService.FindAsync"/>
/// and the attachment field's reader decide); whoever holds it may download until it expires.
/// </summary>
public sealed class DownloadLinks(ILinkSigner signer, IOptions<FileOptions> options)
{
    /// <summary>The link signer's "plugin" for files: no plugin id can be this (plugin ids have no colon).</summary>
    public const string Issuer = "crm:files";

    public const string Purpose = "download";

    /// <summary>The download route.</summary>
    public const string Path = "/files/download";

    public const string TokenParameter = "token";

    public string UrlOf(FileRow file)
    {
        var token = signer.Sign(new LinkGrant(file.TenantId, Issuer, Purpose, file.Id.ToString()), options.Value.LinkLifetime);
        return (options.Value.PublicBaseUrl?.TrimEnd('/') ?? string.Empty) + Path + "?" + TokenParameter + "=" + token;
    }
}
