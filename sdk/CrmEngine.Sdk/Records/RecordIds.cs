using System.Buffers.Text;
using System.Text;

namespace CrmEngine.Sdk.Records;

/// <summary>Record ids as GraphQL clients see them.</summary>
public static class RecordIds
{
    /// <summary>
    /// The global id of a record: the opaque <c>ID</c> the API gives it, which <c>node(id:)</c>
    /// resolves and every id argument accepts. Records an operation returns as an entity type carry
    /// it already; use this for the ids in your own result types (<c>TypeRef.Object</c>).
    /// </summary>
    /// <param name="entity">The record's entity, such as <c>account</c>.</param>
    /// <param name="id">The record's id (<see cref="CrmRecord.Id"/>, a lookup's value).</param>
    public static string GlobalId(string entity, Guid id)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        // URL-safe base64 (no padding) of "entity:uuid", the uuid as 32 hex digits.
        var length = Encoding.UTF8.GetByteCount(entity) + 33;
        var text = length <= 256 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(entity, text);
        text[written] = (byte)':';
        id.TryFormat(text[(written + 1)..], out _, "N");
        return Base64Url.EncodeToString(text);
    }
}
