using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>The host-wide secret that signs cursors, kept in the data directory.</summary>
public sealed record CursorSecret(byte[] Key);

/// <summary>
/// Opaque, signed keyset cursors. A cursor names the tenant, the entity and the shape of the query
/// (sort keys) it came from, plus the sort-key values of its row; a cursor from another query,
/// entity or tenant, or one that was tampered with, is refused rather than misread.
/// </summary>
public sealed class CursorCodec(CursorSecret secret)
{
    public string Encode(string scope, IReadOnlyList<object?> keys)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(keys);
        return Base64Url(payload) + "." + Base64Url(Sign(scope, payload));
    }

    public JsonElement[] Decode(string cursor, string scope)
    {
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        byte[] payload, signature;
        try
        {
            if (dot <= 0)
            {
                throw new FormatException();
            }

            payload = FromBase64Url(cursor[..dot]);
            signature = FromBase64Url(cursor[(dot + 1)..]);
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(scope, payload)))
        {
            throw Invalid();
        }

        try
        {
            return JsonSerializer.Deserialize<JsonElement[]>(payload) ?? throw Invalid();
        }
        catch (JsonException)
        {
            throw Invalid();
        }
    }

    private byte[] Sign(string scope, byte[] payload)
    {
        // HMAC over "scope\npayload", built in one buffer: cursors are signed for every edge of a page.
        var scoped = new byte[Encoding.UTF8.GetByteCount(scope) + 1 + payload.Length];
        var written = Encoding.UTF8.GetBytes(scope, scoped);
        scoped[written] = (byte)'\n';
        payload.CopyTo(scoped, written + 1);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret.Key, scoped, mac);
        return mac[..16].ToArray();
    }

    private static CrmException Invalid() =>
        new(ErrorCodes.InvalidCursor, "The cursor is not valid for this query: use a cursor returned by the same query, unchanged.", "after");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
