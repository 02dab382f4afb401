using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
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
/// <remarks>
/// The tag is SipHash-2-4 over "scope\npayload" under a key derived from the secret (64 bits: a
/// forged cursor could at most position a page the caller may read anyway, and guessing one takes
/// 2^63 tries). Cursors signed by the earlier HMAC-SHA256 codec are refused as invalid.
/// </remarks>
public sealed class CursorCodec
{
    private readonly ulong _k0;
    private readonly ulong _k1;

    public CursorCodec(CursorSecret secret)
    {
        // A key for this one purpose, so the configured secret itself never keys SipHash.
        Span<byte> key = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret.Key, "crm-cursor-siphash-2-4"u8, key);
        _k0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        _k1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
    }

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _json;

    /// <summary>base64url(JSON array of the key values) "." base64url(tag); a page asks for one per record.</summary>
    public string Encode(string scope, IReadOnlyList<object?> keys)
    {
        var (buffer, writer) = _json ??= NewWriter();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartArray();
        foreach (var key in keys)
        {
            JsonValues.Write(writer, key);
        }

        writer.WriteEndArray();
        writer.Flush();
        var payload = buffer.WrittenSpan;
        Span<byte> tag = stackalloc byte[TagSize];
        Sign(scope, payload, tag);
        var length = Base64Url.GetEncodedLength(payload.Length);
        Span<char> text = stackalloc char[length + 1 + Base64Url.GetEncodedLength(TagSize)];
        Base64Url.EncodeToChars(payload, text);
        text[length] = '.';
        Base64Url.EncodeToChars(tag, text[(length + 1)..]);
        return new string(text);
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        return (buffer, new Utf8JsonWriter(buffer));
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

            payload = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        Span<byte> expected = stackalloc byte[TagSize];
        Sign(scope, payload, expected);
        if (!CryptographicOperations.FixedTimeEquals(signature, expected))
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

    private const int TagSize = sizeof(ulong);

    private void Sign(string scope, ReadOnlySpan<byte> payload, Span<byte> tag)
    {
        var length = Encoding.UTF8.GetByteCount(scope) + 1 + payload.Length;
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(scope, buffer);
        buffer[written] = (byte)'\n';
        payload.CopyTo(buffer[(written + 1)..]);
        BinaryPrimitives.WriteUInt64LittleEndian(tag, SipHash.Hash(_k0, _k1, buffer));
    }

    private static CrmException Invalid() =>
        new(ErrorCodes.InvalidCursor, "The cursor is not valid for this query: use a cursor returned by the same query, unchanged.", "after");
}
