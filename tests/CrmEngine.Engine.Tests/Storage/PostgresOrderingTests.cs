using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Testing;
using Microsoft.EntityFrameworkCore;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>
/// On PostgreSQL, empty values sort as the smallest (as on SQLite) through the ORDER BY's own
/// NULLS FIRST / NULLS LAST, and indexes are built NULLS FIRST to match, so a sorted page can be
/// read from an index: no CASE sort key, which no index could serve.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class PostgresOrderingTests : PostgresEngineTest
{
    [PostgresFact]
    public async Task Sorting_by_a_nullable_indexed_field_puts_empty_values_last_descending_with_an_order_an_index_serves()
    {
        var lead = Lead() with { Fields = [.. Lead().Fields.Select(f => f.Name == "score" ? f with { Indexed = true } : f)] };
        var session = await Engine.DefineAsync(await Engine.NewTenantAsync(), lead);
        foreach (var (name, score) in new (string, long?)[] { ("a", 10), ("b", null), ("c", 30), ("d", 20) })
        {
            var created = await Engine.Pipeline.CreateAsync(session, "lead", new Dictionary<string, object?> { ["name"] = name, ["score"] = score }, CancellationToken.None);
            Assert.Empty(created.Errors);
        }

        Commands.Clear();
        var descending = await Engine.Reader.ListAsync(session, new RecordQuery("lead") { OrderBy = [new SortKey("score", SortDirection.Desc)] }, CancellationToken.None);
        var ascending = await Engine.Reader.ListAsync(session, new RecordQuery("lead") { OrderBy = [new SortKey("score", SortDirection.Asc)] }, CancellationToken.None);

        Assert.Equal(["c", "d", "a", "b"], descending.Edges.Select(e => (string)e.Record.Get("name")!));
        Assert.Equal(["b", "a", "d", "c"], ascending.Edges.Select(e => (string)e.Record.Get("name")!));
        var pages = Commands.Texts.Where(t => t.Contains("ORDER BY", StringComparison.Ordinal)).ToList();
        Assert.Contains(pages, t => t.Contains("score DESC NULLS LAST", StringComparison.Ordinal));
        Assert.Contains(pages, t => t.Contains("score NULLS FIRST", StringComparison.Ordinal));
        Assert.DoesNotContain(pages, t => t.Contains("CASE", StringComparison.Ordinal));

        await using var context = session.CreateContext();
        var index = await context.Database.SqlQueryRaw<string>("SELECT indexdef AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'IX_lead_score'").SingleAsync();
        Assert.Contains("(score NULLS FIRST)", index, StringComparison.Ordinal);
    }
}
