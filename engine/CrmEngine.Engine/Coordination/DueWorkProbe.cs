namespace CrmEngine.Engine.Coordination;

/// <summary>
/// The question a background sweep asks every tenant's store before opening any: is there work?
/// <paramref name="Expression"/> is a boolean SQL expression that reads the same on SQLite and
/// PostgreSQL, naming the tenant's tables as <c>{table}</c> (each listed in <paramref name="Tables"/>;
/// the store puts in its own qualified name) and its values as <c>@name</c> placeholders for
/// <paramref name="Parameters"/>. Stores answer it in bulk
/// (<see cref="Tenancy.IStoreManager.StoresWithDueWorkAsync"/>), so an idle tenant costs the sweep no
/// connection of its own and no loaded model.
/// </summary>
public sealed record DueWorkProbe(IReadOnlyList<string> Tables, string Expression, IReadOnlyDictionary<string, object> Parameters)
{
    /// <summary>Whether <paramref name="table"/> holds a row matching <paramref name="condition"/> (SQL over its own columns), with <c>@now</c> for <paramref name="now"/>.</summary>
    public static DueWorkProbe Rows(string table, string condition, DateTime now) =>
        new([table], Exists(table, condition), new Dictionary<string, object>(StringComparer.Ordinal) { ["now"] = now });

    /// <summary>Whether <paramref name="table"/> holds a row matching <paramref name="condition"/>, a condition without parameters.</summary>
    public static DueWorkProbe Rows(string table, string condition) =>
        new([table], Exists(table, condition), new Dictionary<string, object>(StringComparer.Ordinal));

    private static string Exists(string table, string condition) => $"EXISTS (SELECT 1 FROM {{{table}}} WHERE {condition})";

    /// <summary>The expression with each table named as <paramref name="name"/> says.</summary>
    public string Render(Func<string, string> name) =>
        Tables.Aggregate(Expression, (sql, table) => sql.Replace("{" + table + "}", name(table), StringComparison.Ordinal));
}
