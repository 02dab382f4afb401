using CrmEngine.Engine.Storage;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// The context an engine service writes and reads its own rows through for a session: the open
/// write's (<see cref="WriteScope.For"/>), so they commit or roll back with it and a second
/// connection never waits for the write lock that write holds (SQLite), else a new one, disposed
/// with this.
/// </summary>
public readonly struct JoinedContext : IAsyncDisposable
{
    private readonly bool _owned;

    private JoinedContext(TenantDbContext context, bool owned)
    {
        Context = context;
        _owned = owned;
    }

    public TenantDbContext Context { get; }

    public static JoinedContext For(CrmSession session) =>
        WriteScope.For(session) is { } scope ? new(scope.Context, owned: false) : new(session.CreateContext(), owned: true);

    public ValueTask DisposeAsync() => _owned ? Context.DisposeAsync() : ValueTask.CompletedTask;
}
