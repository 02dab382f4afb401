using System.Collections.Concurrent;
using System.Data.Common;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Postgres;
using CrmEngine.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>
/// On PostgreSQL, imports write records, audit rows and outbox rows with binary COPY: EF sends no
/// INSERT for any of them, yet all are there, typed as single creates would store them.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class PostgresCopyTests : IAsyncLifetime
{
    private readonly CommandLog _commands = new();
    private EngineHarness _engine = null!;

    public Task InitializeAsync()
    {
        _engine = new EngineHarness(s => s.AddSingleton<IInterceptor>(_commands), TestStore.CreatePostgres());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _engine.Store.DisposeAsync();
    }

    [PostgresFact]
    public async Task Imports_go_through_binary_copy_for_records_audit_and_outbox()
    {
        Assert.IsType<PostgresBulkWriter>(_engine.Services.GetRequiredService<IBulkWriter>());
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var input = Enumerable.Range(0, 1500).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["name"] = "批量 " + i,
            ["score"] = i % 101,
            ["email"] = $"bulk{i}@example.com",
            ["budget"] = new Dictionary<string, object?> { ["amount"] = 1234.5m + i, ["currency"] = "CNY" },
        });
        _commands.Clear();

        var result = await _engine.Services.GetRequiredService<RecordImporter>().ImportAsync(session, "lead", input, batchSize: 500, CancellationToken.None);

        Assert.Equal(1500, result.Imported);
        // The only INSERT is the auto-number counter's first row, once per import.
        Assert.Equal(["crm_sequence"], _commands.Texts.Where(t => t.StartsWith("INSERT INTO ", StringComparison.OrdinalIgnoreCase)).Select(t => t.Split(' ')[2]).Distinct());
        Assert.DoesNotContain(_commands.Texts, t => t.Contains("INSERT INTO \"lead\"", StringComparison.OrdinalIgnoreCase) || t.Contains("INSERT INTO crm_audit", StringComparison.OrdinalIgnoreCase) || t.Contains("INSERT INTO crm_outbox", StringComparison.OrdinalIgnoreCase));
        var page = await _engine.Reader.ListAsync(session, new RecordQuery("lead") { Filter = new FieldFilter("email", FilterOperator.Eq, "bulk42@example.com"), IncludeTotalCount = true }, CancellationToken.None);
        Assert.Equal(1, page.TotalCount);
        var lead = page.Edges[0].Record;
        Assert.Equal(("批量 42", 42L, "new"), (lead.Get("name"), Convert.ToInt64(lead.Get("score"), System.Globalization.CultureInfo.InvariantCulture), lead.Get("status")));
        await using var context = session.CreateContext();
        Assert.Equal(1500, await context.Set<AuditRow>().CountAsync(a => a.Entity == "lead"));
        Assert.Equal(1500, await context.Set<OutboxRow>().CountAsync(o => o.Entity == "lead" && o.ProcessedAt == null));
    }

    /// <summary>Every command text EF sends.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> _texts = new();

        public IReadOnlyCollection<string> Texts => _texts;

        public void Clear() => _texts.Clear();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            _texts.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            _texts.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            _texts.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
