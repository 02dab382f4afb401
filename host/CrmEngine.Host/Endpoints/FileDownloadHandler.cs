using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files;
using CrmEngine.Host.Http;
using Microsoft.Net.Http.Headers;

namespace CrmEngine.Host.Endpoints;

/// <summary>
/// GET /files/download?token=…: a file by its signed link (<see cref="DownloadLinks"/>). The link was
/// issued to someone who could read the file's record at that time; here it is checked (403
/// LINK_INVALID when altered or not a files link, 410 LINK_EXPIRED), the file must still be live (404
/// otherwise, as for a made-up one), and the content is streamed as an attachment with its sniffed
/// type, nosniff and no-store, so a browser neither renders nor keeps it.
/// </summary>
public sealed class FileDownloadHandler(LinkTokens links, TenantRegistry tenants, FilesService files, RequestRateLimiter rateLimiter, TimeProvider time)
{
    private const string NotFoundMessage = "There is no such file.";

    public async Task HandleAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!await rateLimiter.ChargeAddressAsync(http))
        {
            return;
        }

        var cancellationToken = http.RequestAborted;
        if (links.Verify(http.Request.Query[DownloadLinks.TokenParameter].ToString()) is not { } link
            || link.Grant.Plugin != DownloadLinks.Issuer || link.Grant.Purpose != DownloadLinks.Purpose || !Guid.TryParse(link.Grant.Subject, out var fileId))
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.LinkInvalid, "This link is not valid: it was altered, or it is not a download link.");
            return;
        }

        if (link.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status410Gone, ErrorCodes.LinkExpired, "This download link has expired; ask for the file again for a new one.");
            return;
        }

        TenantStore store;
        try
        {
            store = await tenants.GetAsync(link.Grant.TenantId, cancellationToken);
        }
        catch (CrmException e) when (e.Code == ErrorCodes.NotFound)
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, NotFoundMessage);
            return;
        }

        if (await files.OpenAsync(new CrmSession(store, CrmPrincipal.System(store.TenantId)), fileId, cancellationToken) is not var (file, content))
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, NotFoundMessage);
            return;
        }

        await using (content)
        {
            http.Response.ContentType = file.ContentType;
            http.Response.ContentLength = file.Size;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(file.Name);
            http.Response.Headers.ContentDisposition = disposition.ToString();
            await content.CopyToAsync(http.Response.Body, cancellationToken);
        }
    }
}
