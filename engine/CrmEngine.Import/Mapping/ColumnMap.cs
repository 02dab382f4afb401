using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;

namespace CrmEngine.Import.Mapping;

/// <summary>One column of the file and the field its cells go to.</summary>
public sealed record MappedColumn(int Index, string Header, FieldDefinition Field);

/// <summary>
/// Which column goes to which field: as the client's mapping says, otherwise by the header being a
/// field's API name or its English or Chinese (zh-CN) label, compared without case or surrounding
/// spaces. Columns that match nothing are left out and reported; a mapping that names a field the
/// entity lacks, a column the file lacks, a field the engine assigns, or one field twice is refused.
/// </summary>
public sealed class ColumnMap
{
    private ColumnMap(IReadOnlyList<MappedColumn> columns, IReadOnlyList<string> unmapped)
    {
        Columns = columns;
        Unmapped = unmapped;
    }

    public IReadOnlyList<MappedColumn> Columns { get; }

    /// <summary>Headers no field takes: their cells are not imported.</summary>
    public IReadOnlyList<string> Unmapped { get; }

    public static ColumnMap Resolve(EntityDefinition entity, IReadOnlyList<string> headers, IReadOnlyDictionary<string, string?>? mapping)
    {
        mapping ??= new Dictionary<string, string?>();
        var errors = new List<CrmError>();
        foreach (var header in mapping.Keys.Where(h => !headers.Contains(h, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, $"The mapping names column '{header}', which the file's header row lacks.", "mapping"));
        }

        var columns = new List<MappedColumn>();
        var unmapped = new List<string>();
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            var given = mapping.FirstOrDefault(m => string.Equals(m.Key.Trim(), header, StringComparison.OrdinalIgnoreCase));
            FieldDefinition? field;
            if (given.Key is not null)
            {
                if (given.Value is null)
                {
                    unmapped.Add(header);
                    continue;
                }

                field = entity.FindField(given.Value);
                if (field is null)
                {
                    errors.Add(new CrmError(ErrorCodes.UnknownField, $"The mapping sends column '{header}' to '{given.Value}', which {entity.Name} lacks.", "mapping"));
                    continue;
                }
            }
            else
            {
                field = Match(entity, header);
            }

            if (field is null || (given.Key is null && !field.Of().IsWritable))
            {
                unmapped.Add(header);
                continue;
            }

            if (!field.Of().IsWritable)
            {
                errors.Add(new CrmError(ErrorCodes.ReadOnlyField, $"Column '{header}' goes to '{field.Name}', a {field.Type} field the engine assigns.", "mapping"));
            }
            else if (columns.FirstOrDefault(c => c.Field.Name == field.Name) is { } first)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidInput, $"Columns '{first.Header}' and '{header}' both go to '{field.Name}'; map one of them elsewhere or to null.", "mapping"));
            }
            else
            {
                columns.Add(new MappedColumn(i, header, field));
            }
        }

        if (errors.Count == 0 && columns.Count == 0)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidInput, $"No column of the file matches a field of {entity.Name} by name or label; give a mapping.", "mapping"));
        }

        return errors.Count > 0 ? throw new CrmException(errors) : new ColumnMap(columns, unmapped);
    }

    private static FieldDefinition? Match(EntityDefinition entity, string header) =>
        entity.ActiveFields.FirstOrDefault(f => string.Equals(f.Name, header, StringComparison.OrdinalIgnoreCase))
        ?? entity.ActiveFields.FirstOrDefault(f => Labels(f.Labels).Any(l => string.Equals(l, header, StringComparison.OrdinalIgnoreCase)));

    /// <summary>A definition's English and Chinese labels, the texts a header or a cell may carry instead of a name or value.</summary>
    public static IEnumerable<string> Labels(LocalizedText labels) =>
        new[] { labels.Get("en"), labels.Get("zh-CN") }.Where(l => l is not null).Select(l => l!.Trim());
}
