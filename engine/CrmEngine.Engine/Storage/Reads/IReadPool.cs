using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Storage.Reads;

/// <summary>
/// Connections a store keeps open for reads, each with a context bound to it and the statements it
/// has prepared, so a read skips opening a connection, setting up a context and compiling its SQL.
/// A provider offers one where its driver does none of that itself (SQLite); PostgreSQL's Npgsql
/// pools and prepares on its own.
/// </summary>
public interface IReadPool : IDisposable
{
    /// <summary>
    /// A read context over the view's model on a connection of its own; give it back with
    /// <see cref="GiveBack"/>. Null once the pool is closed (its store was let go): read the usual way.
    /// </summary>
    ReadSlot? TryRent(TenantView view);

    /// <summary>Takes a slot back; a slot that failed or outlived the pool is closed instead.</summary>
    void GiveBack(ReadSlot slot);
}

/// <summary>A rented read connection with its context. Used by one read at a time.</summary>
public abstract class ReadSlot
{
    /// <summary>The context to read through: no tracking, no transaction, on the slot's open connection.</summary>
    public abstract TenantDbContext Context { get; }
}
