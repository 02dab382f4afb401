using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The secret that signs cursors: configured (<c>Crm:CursorSecret</c>, shared by every host serving
/// the same tenants) or kept in the data directory.
/// </summary>
public sealed record CursorSecret(byte[] Key)
{
    /// <summary>A configured secret: base64 of at least 32 bytes.</summary>
    public static byte[] Parse(string configured)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(configured.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Crm:CursorSecret must be base64 (for example the output of `openssl rand -base64 32`).");
        }

        return key.Length >= 32 ? key : throw new InvalidOperationException("Crm:CursorSecret must hold at least 32 bytes.");
    }
}

/// <summary>
/// Opaque, signed keyset cursors. A cursor names the tenant, the entity and the shape of the query
/// (sort keys) it came from, plus the sort-key values of its row; a cursor from another query,
/// entity or tenant, or one that was tampered with, is refused rather than misread.
/// </summary>
public sealed class CursorCodec(CursorSecret secret)
{
    // One keyed hash per thread, for the key it was made with (a process may hold several codecs).
    [ThreadStatic]
    private static KeyedHash? _hmac;

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
        // HMAC over "scope\npayload". A keyed hash per thread is reused: one-shot HMAC re-keys the
        // crypto library on every call, and a page signs a cursor for every edge.
        if (_hmac is not { } cached || !ReferenceEquals(cached.Key, secret.Key))
        {
            _hmac?.Hash.Dispose();
            _hmac = cached = new KeyedHash(secret.Key, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret.Key));
        }

        // One buffer, one append: each call into the crypto library costs more than the hashing.
        var length = Encoding.UTF8.GetByteCount(scope) + 1 + payload.Length;
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(scope, buffer);
        buffer[written] = (byte)'\n';
        payload.CopyTo(buffer[(written + 1)..]);
        cached.Hash.AppendData(buffer);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        cached.Hash.GetHashAndReset(mac);
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

/// <summary>An HMAC ready for reuse, and the key it was made with.</summary>
internal sealed record KeyedHash(byte[] Key, IncrementalHash Hash);
