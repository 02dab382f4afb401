using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// The context a read uses: inside an open write (a hook or rule reading), the write's own context,
/// so it sees the write's uncommitted changes and never waits on its lock; otherwise a fresh one.
/// </summary>
internal readonly struct ReadLease : IAsyncDisposable
{
    private readonly bool _owned;

    private ReadLease(TenantDbContext context, bool owned)
    {
        Context = context;
        _owned = owned;
    }

    public TenantDbContext Context { get; }

    public static ReadLease For(CrmSession session) =>
        WriteScope.For(session) is { } scope ? new ReadLease(scope.Context, owned: false) : new ReadLease(session.CreateContext(), owned: true);

    public ValueTask DisposeAsync() => _owned ? Context.DisposeAsync() : ValueTask.CompletedTask;
}
