using System.Text;
using CrmEngine.Engine.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CrmEngine.Host.Endpoints;

/// <summary>
/// A public endpoint's request as a handler gets it: the body read whole up to the limit (refused with
/// 413 once it passes it, whatever Content-Length said), an HTML form's fields, the query without the
/// link's token, and the headers without the credentials.
/// </summary>
public sealed class EndpointBody
{
    private static readonly IReadOnlyDictionary<string, string> NoFields = new Dictionary<string, string>();

    private EndpointBody(ReadOnlyMemory<byte> bytes, IReadOnlyDictionary<string, string> form)
    {
        Bytes = bytes;
        Form = form;
    }

    /// <summary>No body (a GET).</summary>
    public static EndpointBody None { get; } = new(ReadOnlyMemory<byte>.Empty, NoFields);

    public ReadOnlyMemory<byte> Bytes { get; }

    public IReadOnlyDictionary<string, string> Form { get; }

    /// <summary>The body, or null once a refusal (413, 400) has been written.</summary>
    public static async Task<EndpointBody?> ReadAsync(HttpContext http, long maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = $"The request body is larger than the {maxBytes} bytes allowed.";
        if (http.Request.ContentLength > maxBytes)
        {
            http.Response.Headers.Connection = "close";
            await EndpointErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, tooLarge);
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    http.Response.Headers.Connection = "close";
                    await EndpointErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, tooLarge);
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, tooLarge);
            return null;
        }

        var bytes = buffer.ToArray();
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return new EndpointBody(bytes, NoFields);
        }

        try
        {
            using var reader = new FormReader(Encoding.UTF8.GetString(bytes));
            var fields = await reader.ReadFormAsync(cancellationToken);
            return new EndpointBody(bytes, fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal));
        }
        catch (InvalidDataException e)
        {
            await EndpointErrors.WriteAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, $"The form could not be read: {e.Message}");
            return null;
        }
    }

    /// <summary>The query's parameters but <paramref name="token"/>, a repeated one's values joined with commas.</summary>
    public static IReadOnlyDictionary<string, string> Query(IQueryCollection query, string token) =>
        query.Where(q => q.Key != token).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    /// <summary>The request headers but the credentials (Authorization, Cookie), which are the host's business.</summary>
    public static IReadOnlyDictionary<string, string> Headers(IHeaderDictionary headers) =>
        headers.Where(h => !h.Key.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase) && !h.Key.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
}
