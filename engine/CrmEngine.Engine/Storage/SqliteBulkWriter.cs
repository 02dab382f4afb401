using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Bulk inserts on SQLite: one INSERT prepared once and run per row in the caller's transaction.
/// Parameters are made by EF's own type mappings, so values are stored exactly as EF stores them.
/// The statement is built from the model's table and column names, never from input.
/// </summary>
public sealed class SqliteBulkWriter : IBulkWriter
{
    public async Task InsertAsync(TenantDbContext context, string entity, IReadOnlyList<Dictionary<string, object?>> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var type = context.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"The model has no entity '{entity}'.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!);
        var properties = type.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table)!, Mapping: p.GetRelationalTypeMapping())).ToList();
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await InsertOpenAsync(context, type, properties, rows, cancellationToken);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private static async Task InsertOpenAsync(TenantDbContext context, IEntityType type, List<(IProperty Property, string Column, RelationalTypeMapping Mapping)> properties,
        IReadOnlyList<Dictionary<string, object?>> rows, CancellationToken cancellationToken)
    {
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"INSERT INTO {Quote(type.GetTableName()!)} ({string.Join(", ", properties.Select(p => Quote(p.Column)))}) VALUES ({string.Join(", ", properties.Select((_, i) => "$p" + i))});";
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            for (var i = 0; i < properties.Count; i++)
            {
                var (property, _, mapping) = properties[i];
                command.Parameters.Add(mapping.CreateParameter(command, "$p" + i, row.GetValueOrDefault(property.Name), property.IsNullable));
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
