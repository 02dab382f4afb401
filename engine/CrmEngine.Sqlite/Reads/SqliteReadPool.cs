using System.Collections.Concurrent;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Sqlite.Reads;

/// <summary>
/// One SQLite store's read connections: opened on demand, kept open while reads keep coming (up
/// to <see cref="MaxIdle"/> waiting), closed after a minute without use. Each keeps one context,
/// made again only when the store's model changes, and its prepared statements. SQLite in WAL
/// mode lets these read while a writer commits; each read sees the last commit before it began.
/// </summary>
internal sealed class SqliteReadPool : IDisposable
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(1);

    // Closes connections a quiet store no longer needs, for every pool in the process.
    private static readonly ConcurrentDictionary<SqliteReadPool, byte> Pools = new();
    private static readonly Timer Sweeper = new(_ => SweepAll(), null, IdleLifetime, IdleLifetime);

    private readonly string _connectionString;
    private readonly IReadOnlyList<IInterceptor> _interceptors;
    private readonly bool _directReads;
    private readonly ConcurrentStack<Slot> _idle = new();
    private volatile bool _disposed;

    public SqliteReadPool(string connectionString, IReadOnlyList<IInterceptor> interceptors)
    {
        _connectionString = connectionString;
        _directReads = interceptors.Count == 0;
        _interceptors = [.. interceptors, PreparedStatementInterceptor.Instance];
        Pools[this] = 0;
    }

    /// <summary>Enough for every core to read while as many requests wait on I/O.</summary>
    private static int MaxIdle { get; } = Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>
    /// A read context over the view's model on a connection of its own, given back when the read is
    /// done. Null once the pool is closed (its store was let go): read the usual way.
    /// </summary>
    public ReadSlot? TryRent(TenantView view)
    {
        if (_disposed)
        {
            return null;
        }

        var slot = _idle.TryPop(out var idle) ? idle : Open();
        slot.Bind(view.Model, _interceptors);
        return slot;
    }

    /// <summary>Takes a slot back; a slot that failed or outlived the pool is closed instead.</summary>
    private void GiveBack(Slot slot)
    {
        if (_disposed || slot.Broken || _idle.Count >= MaxIdle)
        {
            slot.Dispose();
            return;
        }

        slot.LastUsed = Environment.TickCount64;
        _idle.Push(slot);
    }

    public void Dispose()
    {
        _disposed = true;
        Pools.TryRemove(this, out _);
        while (_idle.TryPop(out var slot))
        {
            slot.Dispose();
        }
    }

    private Slot Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqliteStatementCache.Register(connection, _directReads);
        return new Slot(this, connection);
    }

    private static void SweepAll()
    {
        foreach (var pool in Pools.Keys)
        {
            pool.Sweep(Environment.TickCount64 - (long)IdleLifetime.TotalMilliseconds);
        }
    }

    /// <summary>Closes the connections idle since before <paramref name="cutoff"/>; the rest go back as they were.</summary>
    private void Sweep(long cutoff)
    {
        var keep = new List<Slot>();
        while (_idle.TryPop(out var slot))
        {
            if (slot.LastUsed < cutoff)
            {
                slot.Dispose();
            }
            else
            {
                keep.Add(slot);
            }
        }

        foreach (var slot in Enumerable.Reverse(keep))
        {
            _idle.Push(slot);
        }
    }

    private sealed class Slot(SqliteReadPool pool, SqliteConnection connection) : ReadSlot, IDisposable
    {
        private IModel? _model;
        private TenantDbContext? _context;

        public long LastUsed { get; set; }

        /// <summary>True when the connection is no longer open (or the slot was closed): it is not kept.</summary>
        public bool Broken => connection.State != System.Data.ConnectionState.Open || _context is null;

        public override TenantDbContext Context => _context ?? throw new InvalidOperationException("The read slot is not bound to a model.");

        public override ValueTask GiveBackAsync()
        {
            pool.GiveBack(this);
            return ValueTask.CompletedTask;
        }

        public void Bind(IModel model, IReadOnlyList<IInterceptor> interceptors)
        {
            if (ReferenceEquals(model, _model) && _context is not null)
            {
                return;
            }

            _context?.Dispose();
            _context = new TenantDbContext(TenantContextOptions.Complete(new DbContextOptionsBuilder<TenantDbContext>().UseSqlite(connection), model, interceptors).Options);
            // EF registers its SQL functions on the connection as the context adopts it; the exact sum replaces its ef_sum after that.
            _ = _context.Database.GetDbConnection();
            SqliteExactSum.Install(connection);
            _model = model;
        }

        public void Dispose()
        {
            _context?.Dispose();
            _context = null;
            SqliteStatementCache.Forget(connection);
            connection.Dispose();
        }
    }
}
