using System.Data.Common;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sqlite;
using CrmEngine.Sqlite.Writes;
using CrmEngine.Testing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>
/// On a single-writer store (SQLite), writes that wait at the gate together share one commit, each
/// under a savepoint of its own. Every write still stands alone: it is reported only once committed,
/// a refused one leaves nothing behind while the others are kept, and a commit that fails fails
/// every write that shared it, leaving none of them. On PostgreSQL (many writers, a transaction
/// each) the same holds trivially; the tests run there too.
/// </summary>
public sealed class SharedCommitTests : IAsyncLifetime
{
    private readonly FailingCommits _commits = new();
    private readonly EngineHarness _engine;
    private CrmSession _session = null!;

    public SharedCommitTests() => _engine = new EngineHarness(s => s.AddSingleton<IInterceptor>(_commits));

    public async Task InitializeAsync() => _session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<long> CountAsync(string table) => StoreInspector.CountAsync(_session.Store.ConnectionString, table);

    /// <summary>The store's write gate, on a single-writer store (SQLite); null where writers don't queue.</summary>
    private WriteGate? Gate => (_session.Store.Access as SqliteStoreAccess)?.Gate;

    /// <summary>
    /// Runs the writes at once, each in a task of its own; on a store with a gate, holds it until
    /// they all wait there, so they meet as they do under load.
    /// </summary>
    private async Task<List<T>> QueuedAsync<T>(int count, Func<int, Task<T>> write)
    {
        if (Gate is not { } gate)
        {
            return await AtOnceAsync(count, write);
        }

        Task<List<T>> all;
        using (await gate.EnterAsync(CancellationToken.None))
        {
            all = AtOnceAsync(count, write);
            for (var waited = 0; gate.Joining < count && waited < 1000; waited++)
            {
                await Task.Delay(10);
            }
        }

        return await all;
    }

    private static async Task<List<T>> AtOnceAsync<T>(int count, Func<int, Task<T>> write)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await write(i);
        })).ToList();
        start.SetResult();
        return [.. await Task.WhenAll(tasks)];
    }

    private Task<WriteResult> CreateAsync(int i, string? email = null) =>
        _engine.Pipeline.CreateAsync(_session, "lead", new Dictionary<string, object?> { ["name"] = "线索 " + i, ["email"] = email ?? $"lead{i}@example.com", ["score"] = (long)(i % 100) }, CancellationToken.None);

    [Fact]
    public async Task Writes_arriving_together_share_commits_and_each_is_readable_once_reported()
    {
        var probe = StorageProbe.Start();
        var results = await QueuedAsync(60, async i =>
        {
            var result = await CreateAsync(i);
            // Reported means committed: another connection reads it at once.
            var seen = result.Succeeded && await _engine.Reader.GetAsync(_session, "lead", result.Record!.Id, includeDeleted: false, CancellationToken.None) is not null;
            return (result, seen);
        });

        Assert.All(results, r => Assert.True(r.result.Succeeded));
        Assert.All(results, r => Assert.True(r.seen));
        Assert.Equal(60, await CountAsync("lead"));
        Assert.Equal(60, await CountAsync("crm_audit"));
        Assert.Equal(60, await CountAsync("crm_outbox"));
        if (Gate is not null)
        {
            Assert.True(probe.SharedCommits > 0, "Writes queued together should have shared a commit.");
            Assert.InRange(probe.LargestGroup, 2, WriteGate.MaxMembers);
        }
    }

    [Fact]
    public async Task A_refused_write_leaves_nothing_while_the_writes_sharing_its_commit_are_kept()
    {
        var probe = StorageProbe.Start();
        // Every fifth write takes an e-mail another write of the same burst has: one of each pair is refused.
        var results = await QueuedAsync(40, i => CreateAsync(i, i % 5 == 0 ? "taken@example.com" : null));

        var refused = results.Where(r => !r.Succeeded).ToList();
        Assert.Equal(7, refused.Count);
        Assert.All(refused, r => Assert.Equal(ErrorCodes.UniqueViolation, Assert.Single(r.Errors).Code));
        Assert.Equal(33, await CountAsync("lead"));
        Assert.Equal(33, await CountAsync("crm_audit"));
        Assert.Equal(33, await CountAsync("crm_outbox"));
        Assert.True(probe.SharedCommits > 0 || Gate is null);
    }

    [Fact]
    public async Task A_commit_that_fails_fails_every_write_that_shared_it_and_keeps_none()
    {
        await CreateAsync(1000);
        _commits.FailNext();
        var outcomes = await QueuedAsync(30, async i =>
        {
            try
            {
                return (await CreateAsync(i)).Succeeded ? "kept" : "refused";
            }
            catch (IOException)
            {
                return "failed";
            }
        });

        var failed = outcomes.Count(o => o == "failed");
        Assert.True(failed >= 1);
        Assert.DoesNotContain("refused", outcomes);
        // Whatever failed left no record, audit or outbox row; whatever was reported kept is there.
        var kept = 1 + outcomes.Count(o => o == "kept");
        Assert.Equal(kept, await CountAsync("lead"));
        Assert.Equal(kept, await CountAsync("crm_audit"));
        Assert.Equal(kept, await CountAsync("crm_outbox"));

        // The store goes on taking writes.
        Assert.True((await CreateAsync(2000)).Succeeded);
    }

    [Fact]
    public async Task Writes_given_up_while_waiting_leave_no_group_hanging()
    {
        var outcomes = await AtOnceAsync(40, async i =>
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(i % 3 == 0 ? 1 : 10_000));
            try
            {
                return (await _engine.Pipeline.CreateAsync(_session, "lead", new Dictionary<string, object?> { ["name"] = "x" + i }, cancel.Token)).Succeeded;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        });

        var kept = outcomes.Count(o => o);
        Assert.Equal(kept, await CountAsync("lead"));
        var after = Task.Run(() => CreateAsync(3000));
        Assert.Same(after, await Task.WhenAny(after, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.True((await after).Succeeded);
    }

    [Fact]
    public async Task Imports_and_shared_commits_take_turns()
    {
        var importer = _engine.Services.GetRequiredService<RecordImporter>();
        var writes = AtOnceAsync(30, i => CreateAsync(i));
        var import = importer.ImportAsync(_session, "lead",
            Enumerable.Range(100, 50).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["name"] = "导入 " + i }).ToList(), 10, CancellationToken.None);
        await Task.WhenAll(writes, import);

        Assert.All(await writes, r => Assert.True(r.Succeeded));
        Assert.Equal(80, await CountAsync("lead"));
        Assert.Equal(80, await CountAsync("crm_outbox"));
    }

    /// <summary>Makes the next commit on the store fail as a full disk would.</summary>
    private sealed class FailingCommits : DbTransactionInterceptor
    {
        private int _fail;

        public void FailNext() => Volatile.Write(ref _fail, 1);

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            Interlocked.Exchange(ref _fail, 0) == 1 ? throw new IOException("disk full (simulated)") : ValueTask.FromResult(result);
    }
}
