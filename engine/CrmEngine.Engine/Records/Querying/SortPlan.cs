using System.Linq.Expressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The resolved order of a list: each key as an expression over a row (a column, or a correlated
/// subquery through lookups), and always the id last, so the order is total and keyset cursors
/// can say exactly where a page ended.
/// </summary>
internal sealed class SortPlan
{
    public const int MaxKeys = 5;
    public const int MaxPathLength = 3;

    private SortPlan(IReadOnlyList<PlannedKey> keys, string shape)
    {
        Keys = keys;
        Shape = shape;
    }

    /// <summary>The keys in order, the id last.</summary>
    public IReadOnlyList<PlannedKey> Keys { get; }

    /// <summary>A text naming the keys and directions; cursors are scoped to it.</summary>
    public string Shape { get; }

    /// <summary>True when some key is not a column of the row itself, so its values must be selected.</summary>
    public bool HasDerivedKeys => Keys.Any(k => k.Column is null);

    public static SortPlan Create(QueryContext query, EntityDefinition entity, IReadOnlyList<SortKey> keys)
    {
        if (keys.Count > MaxKeys)
        {
            throw new CrmException(ErrorCodes.InvalidSort, $"Sort by at most {MaxKeys} keys.", "orderBy");
        }

        var planned = new List<PlannedKey>();
        foreach (var key in keys)
        {
            if (key.Path.Count is 0 or > MaxPathLength)
            {
                throw new CrmException(ErrorCodes.InvalidSort, $"A sort key names a field, through at most {MaxPathLength - 1} lookups.", "orderBy");
            }

            var (build, type, column) = Resolve(query, entity, key.Path, 0);
            planned.Add(new PlannedKey(string.Join('.', key.Path), build, type, column, key.Direction, key.NullsFirst && IsNullable(type)));
        }

        var idDirection = keys.Count == 0 ? SortDirection.Asc : keys[^1].Direction;
        planned.Add(new PlannedKey(SystemFields.Id, row => PredicateBuilder.Column(row, RecordColumns.Id, typeof(Guid)), typeof(Guid), RecordColumns.Id, idDirection, NullsFirst: false));
        var shape = keys.Count == 0
            ? "id"
            : string.Join(';', planned.Select(k => $"{k.Name}:{k.Direction.ToString().ToLowerInvariant()}{(k.NullsFirst ? ":nf" : string.Empty)}"));
        return new SortPlan(planned, shape);
    }

    /// <summary>The same keys in reverse order (for last/before).</summary>
    public IReadOnlyList<PlannedKey> Reversed() =>
        Keys.Select(k => k with { Direction = k.Direction == SortDirection.Asc ? SortDirection.Desc : SortDirection.Asc, NullsFirst = !k.NullsFirst && IsNullable(k.Type) }).ToList();

    private static (Func<Expression, Expression> Build, Type Type, string? Column) Resolve(QueryContext query, EntityDefinition entity, IReadOnlyList<string> path, int index)
    {
        var name = path[index];
        if (index == path.Count - 1)
        {
            var column = query.Column(entity, name);
            if (column.Field is { } field && !field.Of().IsSortable)
            {
                throw new CrmException(ErrorCodes.InvalidSort, $"'{name}' is a {field.Type} field; lists can't be sorted by it.", name);
            }

            return (row => PredicateBuilder.Column(row, column.Column, column.ClrType), column.ClrType, index == 0 ? column.Column : null);
        }

        var lookup = entity.FindField(name);
        if (lookup is not { Type: FieldType.Lookup } || query.Metadata.Find(lookup.LookupEntity!) is not { } target)
        {
            throw new CrmException(ErrorCodes.InvalidSort, $"Entity '{entity.Name}' has no lookup '{name}' to sort through.", name);
        }

        query.Permissions?.EnsureReadable(entity.Name, lookup.Name);

        var (inner, innerType, _) = Resolve(query, target, path, index + 1);
        var type = IsNullable(innerType) ? innerType : typeof(Nullable<>).MakeGenericType(innerType);
        Expression Build(Expression row) =>
            query.RelatedValue(target, PredicateBuilder.Column(row, lookup.ColumnName, typeof(Guid?)), inner, type);

        return (Build, type, null);
    }

    public static bool IsNullable(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
}

/// <summary>One key of a <see cref="SortPlan"/>. <see cref="Column"/> is set when the key is a column of the row itself.</summary>
internal sealed record PlannedKey(string Name, Func<Expression, Expression> Build, Type Type, string? Column, SortDirection Direction, bool NullsFirst);
