using System.Text;
using System.Text.Json;

namespace CrmEngine.Sdk.Endpoints;

/// <summary>
/// A public endpoint's answer. The host adds <c>Cache-Control: no-store</c> (links carry tokens; pixels
/// must be fetched each time) and <c>X-Content-Type-Options: nosniff</c>.
/// </summary>
public sealed class EndpointResponse
{
    // The smallest transparent GIF: 1x1, one transparent colour.
    private static readonly byte[] TransparentGif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private EndpointResponse(int status, string? contentType, ReadOnlyMemory<byte> body, string? location)
    {
        Status = status;
        ContentType = contentType;
        Body = body;
        Location = location;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The body's media type, if there is a body.</summary>
    public string? ContentType { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Where a redirect goes.</summary>
    public string? Location { get; }

    /// <summary>Plain text, UTF-8.</summary>
    public static EndpointResponse Text(string text, int status = 200) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text), null);

    /// <summary>An HTML page, UTF-8. Encode what came from the request before putting it in the page.</summary>
    public static EndpointResponse Html(string html, int status = 200) => new(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), null);

    /// <summary><paramref name="value"/> as JSON (camelCase names).</summary>
    public static EndpointResponse Json(object? value, int status = 200) =>
        new(status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web), null);

    /// <summary>Bytes of any media type.</summary>
    public static EndpointResponse Bytes(ReadOnlyMemory<byte> body, string contentType, int status = 200)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        return new(status, contentType, body, null);
    }

    /// <summary>A 1x1 transparent GIF, for tracking pixels.</summary>
    public static EndpointResponse Pixel() => new(200, "image/gif", TransparentGif, null);

    /// <summary>A status without a body, such as 204 for a webhook received.</summary>
    public static EndpointResponse Empty(int status = 204) => new(status, null, ReadOnlyMemory<byte>.Empty, null);

    /// <summary>
    /// A 302 redirect to <paramref name="location"/>: a path on this host (<c>/…</c>), or the
    /// <see cref="LinkGrant.Target"/> signed in the caller's link. The host refuses any other target.
    /// </summary>
    public static EndpointResponse Redirect(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return new(302, null, ReadOnlyMemory<byte>.Empty, location);
    }
}
