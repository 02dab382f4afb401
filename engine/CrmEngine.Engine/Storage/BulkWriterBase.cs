using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Storage;

/// <summary>A column a bulk insert writes: the model's property, its column name and EF's type mapping for it.</summary>
public sealed record BulkColumn(IProperty Property, string Name, RelationalTypeMapping Mapping)
{
    // EF's compiled getter for a system row's CLR property: no reflection per value.
    private readonly IClrPropertyGetter? _getter = Property.IsIndexerProperty() ? null : Property.GetGetter();

    /// <summary>The row's value for this column: from the bag for records, through the CLR property for system rows.</summary>
    public object? ValueOf(object row) =>
        row is Dictionary<string, object?> bag ? bag.GetValueOrDefault(Property.Name) : _getter!.GetClrValueUsingContainingEntity(row);

    /// <summary>The value as the store takes it: an enum as its number, then through the mapping's converter, as EF's own parameters do.</summary>
    public object? ProviderValueOf(object row)
    {
        var value = ValueOf(row);
        if (value is null)
        {
            return null;
        }

        if (value.GetType().IsEnum && !Mapping.ClrType.IsEnum)
        {
            value = Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture);
        }

        return Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
    }
}

/// <summary>
/// What bulk writers share: finding the table and its columns in the context's model (every
/// property, except values the store generates, such as the outbox sequence and transaction id) and holding the
/// context's connection open while the provider writes.
/// </summary>
public abstract class BulkWriterBase : IBulkWriter
{
    public Task InsertAsync(TenantDbContext context, string entity, IReadOnlyList<Dictionary<string, object?>> rows, CancellationToken cancellationToken) =>
        OnOpenConnectionAsync(context, EntityType(context, entity), rows.Count, (table, columns) => WriteOpenAsync(context, table, columns, rows, cancellationToken), cancellationToken);

    public Task InsertAsync<T>(TenantDbContext context, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class =>
        OnOpenConnectionAsync(context, context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"The model has no table for {typeof(T).Name}."), rows.Count,
            (table, columns) => WriteOpenAsync(context, table, columns, rows, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<int>?> TryInsertEachAsync(TenantDbContext context, string entity, IReadOnlyList<Dictionary<string, object?>> rows, Func<Exception, bool> isRowFailure, CancellationToken cancellationToken)
    {
        if (!IsolatesRowFailures)
        {
            return null;
        }

        IReadOnlyList<int> refused = [];
        await OnOpenConnectionAsync(context, EntityType(context, entity), rows.Count, async (table, columns) =>
            refused = await WriteEachOpenAsync(context, table, columns, rows, isRowFailure, cancellationToken), cancellationToken);
        return refused;
    }

    public Task<IPreparedInsert> PrepareAsync(TenantDbContext context, string entity, CancellationToken cancellationToken) =>
        PrepareAsync(context, EntityType(context, entity), cancellationToken);

    public Task<IPreparedInsert> PrepareAsync<T>(TenantDbContext context, CancellationToken cancellationToken)
        where T : class =>
        PrepareAsync(context, context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"The model has no table for {typeof(T).Name}."), cancellationToken);

    /// <summary>True when a row the store refuses leaves the transaction usable, so rows can be refused one at a time (<see cref="WriteEachOpenAsync"/>).</summary>
    protected virtual bool IsolatesRowFailures => false;

    /// <summary>Writes the rows on the context's open connection, in its current transaction.</summary>
    protected abstract Task WriteOpenAsync<TRow>(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
        where TRow : class;

    /// <summary>As <see cref="WriteOpenAsync"/>, leaving out the rows whose failure <paramref name="isRowFailure"/> recognises; their positions.</summary>
    protected virtual Task<IReadOnlyList<int>> WriteEachOpenAsync(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<Dictionary<string, object?>> rows, Func<Exception, bool> isRowFailure, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This store can't refuse rows one at a time inside a transaction.");

    /// <summary>The provider's INSERT of <paramref name="table"/> for rows one at a time, on the context's open connection and in its current transaction.</summary>
    protected abstract IPreparedInsert PrepareOpen(TenantDbContext context, string table, IReadOnlyList<BulkColumn> columns);

    private async Task<IPreparedInsert> PrepareAsync(TenantDbContext context, IEntityType type, CancellationToken cancellationToken)
    {
        var (table, columns) = Columns(type);
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return new OnOpenConnection(context, PrepareOpen(context, table, columns));
        }
        catch
        {
            await context.Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>A prepared insert that gives the context's connection back when disposed.</summary>
    private sealed class OnOpenConnection(TenantDbContext context, IPreparedInsert insert) : IPreparedInsert
    {
        public Task InsertAsync(object row, CancellationToken cancellationToken) => insert.InsertAsync(row, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await insert.DisposeAsync();
            await context.Database.CloseConnectionAsync();
        }
    }

    private static IEntityType EntityType(TenantDbContext context, string entity) =>
        context.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"The model has no entity '{entity}'.");

    private static async Task OnOpenConnectionAsync(TenantDbContext context, IEntityType type, int count, Func<string, IReadOnlyList<BulkColumn>, Task> write, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        var (table, columns) = Columns(type);
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await write(table, columns);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The table a bulk insert writes and its columns: every property of the model but those the store generates.</summary>
    private static (string Table, IReadOnlyList<BulkColumn> Columns) Columns(IEntityType type)
    {
        var table = type.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table);
        return (table, type.GetProperties()
            .Where(p => !IsStoreGenerated(p))
            .Select(p => new BulkColumn(p, p.GetColumnName(store)!, p.GetRelationalTypeMapping()))
            .ToList());
    }

    /// <summary>A generated key, or a column whose value a store default computes (the outbox's transaction id).</summary>
    private static bool IsStoreGenerated(IProperty property) =>
        property.ValueGenerated == ValueGenerated.OnAdd && (property.IsPrimaryKey() || property.GetDefaultValueSql() is not null);
}
