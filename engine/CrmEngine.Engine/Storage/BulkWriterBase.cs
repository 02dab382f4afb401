using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Storage;

/// <summary>A column a bulk insert writes: the model's property, its column name and EF's type mapping for it.</summary>
public sealed record BulkColumn(IProperty Property, string Name, RelationalTypeMapping Mapping)
{
    /// <summary>The row's value for this column: from the bag for records, through the CLR property for system rows.</summary>
    public object? ValueOf(object row) =>
        row is Dictionary<string, object?> bag ? bag.GetValueOrDefault(Property.Name) : Property.PropertyInfo!.GetValue(row);
}

/// <summary>
/// What bulk writers share: finding the table and its columns in the context's model (every
/// property, except values the store generates, such as the outbox sequence and transaction id) and holding the
/// context's connection open while the provider writes.
/// </summary>
public abstract class BulkWriterBase : IBulkWriter
{
    public Task InsertAsync(TenantDbContext context, string entity, IReadOnlyList<Dictionary<string, object?>> rows, CancellationToken cancellationToken) =>
        WriteAsync(context, context.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"The model has no entity '{entity}'."), rows, cancellationToken);

    public Task InsertAsync<T>(TenantDbContext context, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class =>
        WriteAsync(context, context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"The model has no table for {typeof(T).Name}."), rows, cancellationToken);

    /// <summary>Writes the rows on the context's open connection, in its current transaction.</summary>
    protected abstract Task WriteOpenAsync<TRow>(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
        where TRow : class;

    private async Task WriteAsync<TRow>(TenantDbContext context, IEntityType type, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
        where TRow : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var table = type.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table);
        var columns = type.GetProperties()
            .Where(p => !IsStoreGenerated(p))
            .Select(p => new BulkColumn(p, p.GetColumnName(store)!, p.GetRelationalTypeMapping()))
            .ToList();
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await WriteOpenAsync(context, table, columns, rows, cancellationToken);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A generated key, or a column whose value a store default computes (the outbox's transaction id).</summary>
    private static bool IsStoreGenerated(IProperty property) =>
        property.ValueGenerated == ValueGenerated.OnAdd && (property.IsPrimaryKey() || property.GetDefaultValueSql() is not null);
}
