using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// Values that are a set of strings kept as <c>|a|b|</c> in one text column (multi-picklist options,
/// attachment file ids): how input lists are taken apart, compared, written and read back. The kinds
/// delegate here, so both store and filter them the same way.
/// </summary>
public static class ListValues
{
    public static string Encode(IEnumerable<string> values) => "|" + string.Join('|', values) + "|";

    public static IReadOnlyList<string> Decode(string stored) => stored.Split('|', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The items of an input: a list's elements, or the single value itself.</summary>
    public static IEnumerable<object?> Items(object input)
    {
        var unwrapped = LooseConvert.Unwrap(input);
        return unwrapped switch
        {
            string single => [single],
            System.Collections.IEnumerable list => list.Cast<object?>().Select(LooseConvert.Unwrap),
            _ => [unwrapped],
        };
    }

    public static bool IsEmpty(object? value) => value is null || (value is IReadOnlyList<string> list && list.Count == 0);

    public static bool AreEqual(object? a, object? b) => (a as IReadOnlyList<string> ?? []).SequenceEqual(b as IReadOnlyList<string> ?? []);

    public static void Write(FieldDefinition field, object? value, IDictionary<string, object?> row) =>
        row[field.ColumnName] = value is IReadOnlyList<string> { Count: > 0 } list ? Encode(list) : null;

    public static object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) =>
        row.GetValueOrDefault(field.ColumnName) is string stored ? Decode(stored) : null;

    public static string? FormatText(object? value) => value is IReadOnlyList<string> list ? string.Join(',', list) : LooseConvert.AsText(value);
}
