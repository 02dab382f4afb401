using System.Text;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Records;

/// <summary>
/// Relay global ids: opaque strings that carry the entity and the record's UUID, so <c>node(id:)</c>
/// can find any record. Arguments also accept a bare UUID where the entity is known.
/// </summary>
public static class GlobalId
{
    public const string UserType = "user";

    /// <summary>URL-safe base64 (no padding) of <c>entity:uuid</c>, the uuid as 32 hex digits: the SDK's <see cref="RecordIds.GlobalId"/>, so plugins make the same ids.</summary>
    public static string Encode(string entity, Guid id) => RecordIds.GlobalId(entity, id);

    public static bool TryDecode(string? value, out string entity, out Guid id)
    {
        entity = string.Empty;
        id = Guid.Empty;
        if (string.IsNullOrEmpty(value) || value.Length > 200)
        {
            return false;
        }

        try
        {
            var s = value.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=')));
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || !Guid.TryParseExact(text[(colon + 1)..], "N", out id))
            {
                return false;
            }

            entity = text[..colon];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Reads an id meant for <paramref name="entity"/>: its global id, or a bare UUID.</summary>
    public static bool TryRead(string? value, string entity, out Guid id)
    {
        if (TryDecode(value, out var kind, out id))
        {
            return kind == entity;
        }

        return Guid.TryParse(value, out id) && id != Guid.Empty;
    }
}
