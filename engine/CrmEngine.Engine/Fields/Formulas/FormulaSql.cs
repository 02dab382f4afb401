using System.Globalization;
using System.Text;
using CrmEngine.Engine.Storage;
using T = CrmEngine.Engine.Fields.Formulas.FormulaType;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>The SQL dialects formulas compile to.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Compiles a checked formula to one SQL expression for SQLite or PostgreSQL. The record's own columns
/// come from <c>own</c> (parameters bound to a row being written, or columns of a table being
/// recomputed); a field one lookup away is a scalar subquery on the looked-up table by its primary
/// key. The semantics are the same on both stores: / always divides as decimals and gives NULL for a
/// division by zero, arithmetic with NULL gives NULL, CONCAT reads NULL as empty text, conditions
/// that are NULL take the ELSE branch, and dates and date-times are read in UTC.
/// </summary>
public sealed class FormulaSql(SqlDialect dialect)
{
    private int _aliases;

    public SqlDialect Dialect => dialect;

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The SQL of <paramref name="tree"/>, reading the record's columns through <paramref name="own"/>.</summary>
    public string Compile(TypedFormula tree, Func<TypedFormula.Column, string> own) => tree switch
    {
        TypedFormula.Constant constant => Literal(constant.Value, constant.Type),
        TypedFormula.Column column => own(column),
        TypedFormula.Through through => Through(through, own),
        TypedFormula.Operation operation => Operation(operation, own),
        TypedFormula.Builtin function => Function(function, own),
        _ => throw new InvalidOperationException($"Unknown formula node {tree.GetType().Name}."),
    };

    /// <summary>A column of the table aliased <paramref name="alias"/>, as a value of its formula type (SQLite keeps decimals as text: they are read as numbers).</summary>
    public string ColumnOf(string alias, TypedFormula.Column column)
    {
        var sql = alias + "." + Quote(column.Name);
        return dialect == SqlDialect.Sqlite && column.Type == T.Decimal ? $"CAST({sql} AS REAL)" : sql;
    }

    /// <summary>A bound parameter as a value of <paramref name="type"/> (PostgreSQL must know a NULL's type).</summary>
    public string ParameterOf(string name, T type, Type clrType) => dialect switch
    {
        SqlDialect.Sqlite => type == T.Decimal ? $"CAST({name} AS REAL)" : name,
        _ => $"CAST({name} AS {PostgresType(type, clrType)})",
    };

    private static string PostgresType(T type, Type clrType) => type switch
    {
        T.Integer => "bigint",
        T.Decimal => "numeric",
        T.Boolean => "boolean",
        T.Date => "date",
        T.DateTime => "timestamptz",
        _ => (Nullable.GetUnderlyingType(clrType) ?? clrType) == typeof(Guid) ? "uuid" : "text",
    };

    private string Through(TypedFormula.Through through, Func<TypedFormula.Column, string> own)
    {
        var alias = "fl" + _aliases++;
        var inner = Compile(through.Inner, column => ColumnOf(alias, column));
        return $"(SELECT {inner} FROM {Quote(through.Target.TableName)} AS {alias} WHERE {alias}.{Quote(RecordColumns.Id)} = {own(through.Lookup)})";
    }

    private string Operation(TypedFormula.Operation operation, Func<TypedFormula.Column, string> own)
    {
        var args = operation.Operands.Select(o => Compile(o, own)).ToArray();
        return operation.Operator switch
        {
            "NOT" => $"(NOT {args[0]})",
            "NEG" => $"(-{args[0]})",
            "/" => $"(CAST({args[0]} AS {DecimalType}) / NULLIF({args[1]}, 0))",
            // PostgreSQL's bigint raises on overflow where SQLite turns to a real: both compute in decimals, an integer out of range reads as NULL.
            "+" or "-" or "*" when operation.Type == T.Integer && dialect == SqlDialect.Postgres => $"(CAST({args[0]} AS numeric) {operation.Operator} {args[1]})",
            _ => $"({args[0]} {operation.Operator} {args[1]})",
        };
    }

    private string DecimalType => dialect == SqlDialect.Sqlite ? "REAL" : "numeric";

    private string Function(TypedFormula.Builtin function, Func<TypedFormula.Column, string> own)
    {
        var a = function.Arguments.Select(o => Compile(o, own)).ToArray();
        var sqlite = dialect == SqlDialect.Sqlite;
        switch (function.Name)
        {
            case "IF":
                return $"(CASE WHEN {a[0]} THEN {a[1]} ELSE {a[2]} END)";
            case "CASE":
                var cases = new StringBuilder("(CASE");
                for (var i = 0; i < a.Length - 1; i += 2)
                {
                    cases.Append(" WHEN ").Append(a[i]).Append(" THEN ").Append(a[i + 1]);
                }

                return cases.Append(" ELSE ").Append(a[^1]).Append(" END)").ToString();
            case "COALESCE":
                return $"COALESCE({string.Join(", ", a)})";
            case "ISBLANK":
                return function.Arguments[0].Type == T.Text ? $"({a[0]} IS NULL OR {a[0]} = '')" : $"({a[0]} IS NULL)";
            case "CONCAT":
                return "(" + string.Join(" || ", a.Select(x => $"COALESCE({x}, '')")) + ")";
            case "UPPER" or "LOWER" or "TRIM":
                return $"{function.Name}({a[0]})";
            case "LEN":
                return sqlite ? $"LENGTH({a[0]})" : $"CHAR_LENGTH({a[0]})";
            case "LEFT":
                return sqlite ? $"SUBSTR({a[0]}, 1, MAX(CAST({a[1]} AS INTEGER), 0))" : $"SUBSTR({a[0]}, 1, GREATEST(CAST({a[1]} AS integer), 0))";
            case "ROUND":
                return sqlite ? $"ROUND({a[0]}, {a[1]})" : $"ROUND(CAST({a[0]} AS numeric), {a[1]})";
            case "ABS":
                return $"ABS({a[0]})";
            case "YEAR" or "MONTH" or "DAY":
                return sqlite
                    ? $"CAST(STRFTIME('{function.Name switch { "YEAR" => "%Y", "MONTH" => "%m", _ => "%d" }}', {a[0]}) AS INTEGER)"
                    : $"CAST(EXTRACT({function.Name} FROM {Utc(function.Arguments[0], a[0])}) AS bigint)";
            case "DATEDIFF":
                var seconds = FormulaFunctions.DateUnits[(string)((TypedFormula.Constant)function.Arguments[2]).Value!];
                return sqlite
                    ? $"(CAST(ROUND((JULIANDAY({a[0]}) - JULIANDAY({a[1]})) * 86400) AS INTEGER) / {seconds})"
                    : $"CAST(TRUNC((EXTRACT(EPOCH FROM {a[0]}) - EXTRACT(EPOCH FROM {a[1]})) / {seconds}) AS bigint)";
            case "ADDDAYS":
                return sqlite ? $"DATE({a[0]}, CAST({a[1]} AS TEXT) || ' days')" : $"({a[0]} + CAST({a[1]} AS integer))";
            default:
                throw new InvalidOperationException($"Unknown formula function {function.Name}.");
        }
    }

    private static string Utc(TypedFormula argument, string sql) => argument.Type == T.DateTime ? $"({sql} AT TIME ZONE 'UTC')" : sql;

    private string Literal(object? value, T type) => (value, type) switch
    {
        (null, _) => "NULL",
        (bool b, _) => dialect == SqlDialect.Sqlite ? (b ? "1" : "0") : (b ? "TRUE" : "FALSE"),
        (string s, _) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        (DateOnly d, _) => (dialect == SqlDialect.Sqlite ? "'" : "DATE '") + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'",
        (IFormattable number, _) => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unknown formula literal {value}."),
    };
}
