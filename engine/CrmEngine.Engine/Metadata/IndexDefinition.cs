using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// A composite index over several fields of an entity, for lists that filter on the first fields
/// and sort by the next: <c>[status, lastContactedAt]</c> serves "status = x ORDER BY
/// lastContactedAt" from the index, however many rows the table has. The record id is appended so
/// keyset cursors (which break ties by id) stay on the index too.
/// </summary>
public sealed record IndexDefinition(IReadOnlyList<string> Fields)
{
    public const int MaxFields = 4;

    public const int MaxPerEntity = 10;

    public IEnumerable<string> Columns(EntityDefinition entity) => Fields.Select(f => entity.FindAnyField(f)?.ColumnName ?? f);

    public static IEnumerable<CrmError> Validate(EntityDefinition entity)
    {
        if (entity.Indexes.Count > MaxPerEntity)
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"An entity has at most {MaxPerEntity} composite indexes.", "indexes");
        }

        foreach (var index in entity.Indexes)
        {
            if (index.Fields.Count is < 1 or > MaxFields || index.Fields.Distinct().Count() != index.Fields.Count)
            {
                yield return new CrmError(ErrorCodes.InvalidDefinition, $"An index lists 1 to {MaxFields} different fields.", "indexes");
                continue;
            }

            foreach (var name in index.Fields)
            {
                var field = entity.FindAnyField(name);
                if (field is null)
                {
                    yield return new CrmError(ErrorCodes.UnknownField, $"Index [{string.Join(", ", index.Fields)}] names '{name}', which is not a field of '{entity.Name}'.", "indexes");
                }
                else if (!field.Of().IsSortable)
                {
                    yield return new CrmError(ErrorCodes.InvalidDefinition, $"A {field.Type} field can't be part of an index.", "indexes");
                }
            }
        }

        foreach (var duplicate in entity.Indexes.GroupBy(i => string.Join(',', i.Fields)).Where(g => g.Count() > 1))
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"Index [{duplicate.Key}] is listed twice.", "indexes");
        }
    }
}
