using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// A row read as column values in a known order, looked up by column name through an index shared
/// by all rows of the read: a page of records costs one array per row, not a dictionary per row.
/// </summary>
internal sealed class ColumnRow(ColumnRow.Index index, object?[] values) : IReadOnlyDictionary<string, object?>
{
    /// <summary>Where each column sits in the rows of one read.</summary>
    public sealed class Index
    {
        private readonly Dictionary<string, int> _positions;

        public Index(IReadOnlyList<string> columns)
        {
            Columns = columns;
            _positions = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                _positions[columns[i]] = i;
            }
        }

        public IReadOnlyList<string> Columns { get; }

        public bool TryGetPosition(string column, out int position) => _positions.TryGetValue(column, out position);
    }

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The row has no column '{key}'.");

    public IEnumerable<string> Keys => index.Columns;

    public IEnumerable<object?> Values => values;

    public int Count => values.Length;

    public bool ContainsKey(string key) => index.TryGetPosition(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (index.TryGetPosition(key, out var position))
        {
            value = values[position];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            yield return new KeyValuePair<string, object?>(index.Columns[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
