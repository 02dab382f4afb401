using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Storage;

/// <summary>A write in a transaction of its own, on a context of its own: committed when completed, rolled back otherwise.</summary>
public sealed class TransactionUnit : IWriteUnit
{
    private readonly IDbContextTransaction _transaction;
    private readonly IDisposable? _turn;

    private TransactionUnit(TenantDbContext context, IDbContextTransaction transaction, IDisposable? turn)
    {
        Context = context;
        _transaction = transaction;
        _turn = turn;
    }

    public TenantDbContext Context { get; }

    /// <summary>
    /// Begins a transaction on a new context over <paramref name="view"/>'s model. <paramref name="turn"/>:
    /// whatever lets this writer in (a store's writer turn), ended with the unit, or at once if the
    /// transaction can't begin.
    /// </summary>
    public static async ValueTask<TransactionUnit> BeginAsync(TenantView view, IDisposable? turn, CancellationToken cancellationToken)
    {
        TenantDbContext? context = null;
        try
        {
            context = view.CreateContext();
            return new TransactionUnit(context, await context.Database.BeginTransactionAsync(cancellationToken), turn);
        }
        catch
        {
            if (context is not null)
            {
                await context.DisposeAsync();
            }

            turn?.Dispose();
            throw;
        }
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A transaction not committed rolls back as it is disposed.
            await _transaction.DisposeAsync();
            await Context.DisposeAsync();
        }
        finally
        {
            _turn?.Dispose();
        }
    }
}
