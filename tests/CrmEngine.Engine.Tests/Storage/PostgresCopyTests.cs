using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Postgres;
using CrmEngine.Sdk.Records;
using CrmEngine.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>
/// On PostgreSQL, imports write records, audit rows and outbox rows with binary COPY: EF sends no
/// INSERT for any of them, yet all are there, typed as single creates would store them.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class PostgresCopyTests : PostgresEngineTest
{
    [PostgresFact]
    public async Task Imports_go_through_binary_copy_for_records_audit_and_outbox()
    {
        Assert.IsType<PostgresBulkWriter>(Engine.Services.GetRequiredService<IBulkWriter>());
        var session = await Engine.DefineAsync(await Engine.NewTenantAsync(), Lead());
        var input = Enumerable.Range(0, 1500).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["name"] = "批量 " + i,
            ["score"] = i % 101,
            ["email"] = $"bulk{i}@example.com",
            ["budget"] = new Dictionary<string, object?> { ["amount"] = 1234.5m + i, ["currency"] = "CNY" },
        });
        Commands.Clear();

        var result = await Engine.Services.GetRequiredService<RecordImporter>().ImportAsync(session, "lead", input, batchSize: 500, CancellationToken.None);

        Assert.Equal(1500, result.Imported);
        // The only INSERT is the auto-number counter's first row, once per import.
        Assert.Equal(["crm_sequence"], Commands.Texts.Where(t => t.StartsWith("INSERT INTO ", StringComparison.OrdinalIgnoreCase)).Select(t => t.Split(' ')[2]).Distinct());
        Assert.DoesNotContain(Commands.Texts, t => t.Contains("INSERT INTO \"lead\"", StringComparison.OrdinalIgnoreCase) || t.Contains("INSERT INTO crm_audit", StringComparison.OrdinalIgnoreCase) || t.Contains("INSERT INTO crm_outbox", StringComparison.OrdinalIgnoreCase));
        var page = await Engine.Reader.ListAsync(session, new RecordQuery("lead") { Filter = new Condition.Comparison("email", ComparisonOperator.Eq, "bulk42@example.com"), IncludeTotalCount = true }, CancellationToken.None);
        Assert.Equal(1, page.TotalCount);
        var lead = page.Edges[0].Record;
        Assert.Equal(("批量 42", 42L, "new"), (lead.Get("name"), Convert.ToInt64(lead.Get("score"), System.Globalization.CultureInfo.InvariantCulture), lead.Get("status")));
        await using var context = session.CreateContext();
        Assert.Equal(1500, await context.Set<AuditRow>().CountAsync(a => a.Entity == "lead"));
        Assert.Equal(1500, await context.Set<OutboxRow>().CountAsync(o => o.Entity == "lead" && o.ProcessedAt == null));
    }
}
