using System.Linq.Expressions;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// A row with the values of its sort keys that are not its own columns (fields of looked-up
/// records), selected in the same query so cursors can carry them.
/// </summary>
internal sealed class KeyedRow
{
    /// <summary>The row as EF materializes a whole entity (set in projections through <see cref="Selector"/>).</summary>
    public Dictionary<string, object> Row { get; set; } = null!;

    /// <summary>The row's values by column: <see cref="Row"/>, or the columns read by themselves.</summary>
    public IReadOnlyDictionary<string, object?> Values
    {
        get => _values ?? Row!;
        init => _values = value;
    }

    private readonly IReadOnlyDictionary<string, object?>? _values;

    public object? K0 { get; set; }

    public object? K1 { get; set; }

    public object? K2 { get; set; }

    public object? K3 { get; set; }

    public object? K4 { get; set; }

    public object? Slot(int index) => index switch { 0 => K0, 1 => K1, 2 => K2, 3 => K3, _ => K4 };

    /// <summary>
    /// <c>r => new object[] { (object)r.c1, (object)r.c2, ... }</c>: only these columns are read, and
    /// rows come back as values rather than tracked-entity property bags.
    /// </summary>
    public static Expression<Func<Dictionary<string, object>, object?[]>> ColumnsSelector(IReadOnlyList<(string Column, Type Type)> columns)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        var values = columns.Select(c => Expression.Convert(PredicateBuilder.Column(row, c.Column, c.Type), typeof(object)));
        return Expression.Lambda<Func<Dictionary<string, object>, object?[]>>(Expression.NewArrayInit(typeof(object), values), row);
    }

    /// <summary><c>r => new KeyedRow { Row = r, K0 = (object)key0(r), ... }</c> for the derived keys, in order.</summary>
    public static Expression<Func<Dictionary<string, object>, KeyedRow>> Selector(IEnumerable<PlannedKey> derivedKeys)
    {
        var row = Expression.Parameter(typeof(Dictionary<string, object>), "r");
        var bindings = new List<MemberBinding> { Expression.Bind(typeof(KeyedRow).GetProperty(nameof(Row))!, row) };
        var slot = 0;
        foreach (var key in derivedKeys)
        {
            var property = typeof(KeyedRow).GetProperty("K" + slot++)!;
            bindings.Add(Expression.Bind(property, Expression.Convert(key.Build(row), typeof(object))));
        }

        return Expression.Lambda<Func<Dictionary<string, object>, KeyedRow>>(Expression.MemberInit(Expression.New(typeof(KeyedRow)), bindings), row);
    }
}
