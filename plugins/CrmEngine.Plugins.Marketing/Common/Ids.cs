using System.Buffers.Text;
using System.Text;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Common;

/// <summary>
/// Reads the ids of a list argument (<c>[ID!]</c>), which the SDK's <c>RecordId</c> reads one at a
/// time: a global id of the entity (base64url of "entity:uuid", as <c>RecordIds.GlobalId</c> writes
/// it) or a bare UUID.
/// </summary>
internal static class Ids
{
    public static IReadOnlyList<Guid> List(IOperationContext context, string argument, string entity)
    {
        if (context.Arguments.GetValueOrDefault(argument) is not System.Collections.IEnumerable items || context.Arguments[argument] is string)
        {
            return [];
        }

        var ids = new List<Guid>();
        foreach (var item in items)
        {
            var text = item as string ?? string.Empty;
            ids.Add(Parse(text, entity) ?? throw new OperationException(MarketingErrors.InvalidId, $"'{text}' is not the id of a {entity}.", argument));
        }

        return ids;
    }

    /// <summary>A UUID, or the record id inside a global id of <paramref name="entity"/>; null when the text is neither.</summary>
    public static Guid? Parse(string text, string entity)
    {
        if (Guid.TryParse(text, out var uuid))
        {
            return uuid;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var colon = decoded.LastIndexOf(':');
            return colon > 0 && decoded[..colon] == entity && Guid.TryParseExact(decoded[(colon + 1)..], "N", out var id) ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
