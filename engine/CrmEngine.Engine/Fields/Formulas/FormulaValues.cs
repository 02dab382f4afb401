using System.Data.Common;
using System.Globalization;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using T = CrmEngine.Engine.Fields.Formulas.FormulaType;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// Runs compiled formulas in the store, in the context's transaction: over the values of a row being
/// written (bound as parameters, before it is saved), or over stored rows (a backfill, the records
/// whose looked-up record changed). The store computes; the values come back as the column's CLR type.
/// </summary>
public static class FormulaValues
{
    /// <summary>Decimal results keep this many places when the field sets no scale.</summary>
    public const int DefaultScale = 6;

    public static SqlDialect DialectOf(DbContext context) =>
        context.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true ? SqlDialect.Postgres : SqlDialect.Sqlite;

    /// <summary>The values of <paramref name="formulas"/> for the record whose columns are <paramref name="row"/>.</summary>
    public static async Task<object?[]> OfRowAsync(TenantDbContext context, IReadOnlyList<FormulaDefinitions.Compiled> formulas, IReadOnlyDictionary<string, object?> row, CancellationToken cancellationToken)
    {
        var sql = new FormulaSql(DialectOf(context));
        await using var command = CreateCommand(context);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Own(TypedFormula.Column column)
        {
            if (!names.TryGetValue(column.Name, out var name))
            {
                names[column.Name] = name = "@f" + names.Count.ToString(CultureInfo.InvariantCulture);
                command.Parameters.Add(Parameter(context, command, name, column.ClrType, row.GetValueOrDefault(column.Name)));
            }

            return sql.ParameterOf(name, column.Type, column.ClrType);
        }

        command.CommandText = "SELECT " + string.Join(", ", formulas.Select(f => sql.Compile(f.Formula.Tree, Own)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return [.. formulas.Select((f, i) => Stored(reader.GetValue(i), f))];
    }

    /// <summary>The ids and values of <paramref name="formulas"/> for the stored records of their entity whose <paramref name="column"/> is one of <paramref name="keys"/>.</summary>
    public static async Task<List<(Guid Id, object?[] Values)>> OfStoredAsync(TenantDbContext context, IReadOnlyList<FormulaDefinitions.Compiled> formulas, string column, Type keyType, IReadOnlyCollection<object> keys, CancellationToken cancellationToken)
    {
        var sql = new FormulaSql(DialectOf(context));
        await using var command = CreateCommand(context);
        var expressions = formulas.Select(f => sql.Compile(f.Formula.Tree, c => sql.ColumnOf("t", c)));
        var placeholders = keys.Select((key, i) =>
        {
            var name = "@k" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(Parameter(context, command, name, keyType, key));
            return sql.Dialect == SqlDialect.Postgres ? $"CAST({name} AS uuid)" : name;
        });
        command.CommandText = $"SELECT t.{FormulaSql.Quote(RecordColumns.Id)}, {string.Join(", ", expressions)} FROM {FormulaSql.Quote(formulas[0].Entity.TableName)} AS t WHERE t.{FormulaSql.Quote(column)} IN ({string.Join(", ", placeholders)})";
        var results = new List<(Guid, object?[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetValue(0) is Guid guid ? guid : Guid.Parse(reader.GetString(0));
            results.Add((id, [.. formulas.Select((f, i) => Stored(reader.GetValue(i + 1), f))]));
        }

        return results;
    }

    /// <summary>Stores the values <see cref="OfStoredAsync"/> computed, one record and column at a time (not bumping versions: the records were not edited).</summary>
    public static async Task StoreAsync(TenantDbContext context, IReadOnlyList<FormulaDefinitions.Compiled> formulas, List<(Guid Id, object?[] Values)> results, CancellationToken cancellationToken)
    {
        foreach (var (id, values) in results)
        {
            for (var i = 0; i < formulas.Count; i++)
            {
                var field = formulas[i].Field;
                var column = field.Of().Columns(field)[0];
                await ColumnUpdates.SetAsync(context, formulas[i].Entity.Name, column.Name, column.ClrType, values[i], id, cancellationToken);
            }
        }
    }

    private static DbCommand CreateCommand(TenantDbContext context)
    {
        var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>A parameter as EF binds a value of that CLR type (SQLite's GUIDs and dates as text, as stored).</summary>
    private static DbParameter Parameter(TenantDbContext context, DbCommand command, string name, Type clrType, object? value)
    {
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        var mapping = context.GetService<IRelationalTypeMappingSource>().FindMapping(type)
            ?? throw new InvalidOperationException($"No store mapping for {type.Name}.");
        return mapping.CreateParameter(command, name, value, nullable: true);
    }

    private static object? Stored(object? raw, FormulaDefinitions.Compiled formula) => Stored(raw, formula.Formula.Tree.Type, formula.Field.Scale ?? DefaultScale);

    /// <summary>A value the store computed, as a column of the formula's type holds it (decimals to <paramref name="scale"/> places); a number out of the column's range is NULL.</summary>
    public static object? Stored(object? raw, T type, int scale)
    {
        if (raw is null or DBNull)
        {
            return null;
        }

        return type switch
        {
            T.Integer => ToDecimal(raw) is { } whole && whole >= long.MinValue && whole <= long.MaxValue ? (long)decimal.Truncate(whole) : null,
            T.Decimal => ToDecimal(raw) is { } number ? decimal.Round(number, scale, MidpointRounding.AwayFromZero) : null,
            T.Boolean => raw is bool b ? b : Convert.ToInt64(raw, CultureInfo.InvariantCulture) != 0,
            T.Date => raw switch
            {
                DateOnly d => d,
                DateTime dt => DateOnly.FromDateTime(dt),
                _ => DateOnly.ParseExact(Convert.ToString(raw, CultureInfo.InvariantCulture)!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
            T.DateTime => raw switch
            {
                DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
                _ => DateTime.Parse(Convert.ToString(raw, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            },
            _ => Convert.ToString(raw, CultureInfo.InvariantCulture),
        };
    }

    private static decimal? ToDecimal(object raw)
    {
        try
        {
            return raw switch
            {
                double d when double.IsFinite(d) => (decimal)d,
                double => null,
                _ => Convert.ToDecimal(raw, CultureInfo.InvariantCulture),
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
