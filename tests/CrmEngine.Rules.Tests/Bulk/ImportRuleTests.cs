using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Rules.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Rules.Tests.Bulk;

/// <summary>
/// The bulk path (one prepared statement per batch on SQLite, binary COPY on PostgreSQL) still
/// validates every record and runs before-rules on it, and its outbox rows drive after-rules.
/// </summary>
public sealed class ImportRuleTests : IAsyncLifetime
{
    private readonly RulesHarness _rules = new();
    private Engine.Records.CrmSession _session = null!;

    public async Task InitializeAsync() => _session = await _rules.NewTenantAsync(Lead(), FollowUp());

    public async Task DisposeAsync() => await _rules.DisposeAsync();

    [Fact]
    public async Task Imported_records_are_validated_and_run_before_and_after_rules_like_single_creates()
    {
        await _rules.SaveAsync(_session, "grade", "lead", "record.grade = record.score >= 50 ? 'A' : 'B'; if (record.company === '竞争对手') crm.reject('不导入竞争对手', 'company');");
        await _rules.SaveAsync(_session, "followUp", "lead", "crm.create('task', { title: '回访 ' + record.name, leadName: record.name });", triggers: [RuleTrigger.AfterCreate]);
        var input = Enumerable.Range(0, 120).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["name"] = i == 3 ? null : "导入 " + i,
            ["score"] = i == 5 ? 101 : i % 100,
            ["company"] = i == 8 ? "竞争对手" : "公司 " + i,
        });

        var result = await _rules.Services.GetRequiredService<RecordImporter>().ImportAsync(_session, "lead", input, batchSize: 50, CancellationToken.None);
        await _rules.DrainOutboxAsync(_session);

        Assert.Equal(117, result.Imported);
        Assert.Equal([(3, ErrorCodes.Required), (5, ErrorCodes.OutOfRange), (8, ErrorCodes.Rejected)], result.Refused.Select(r => (r.Index, r.Errors[0].Code)));
        var leads = await _rules.AllAsync(_session, "lead");
        Assert.Equal(117, leads.Count);
        Assert.All(leads, l => Assert.Equal(Convert.ToInt64(l.Get("score"), System.Globalization.CultureInfo.InvariantCulture) >= 50 ? "A" : "B", l.Get("grade")));
        var tasks = await _rules.AllAsync(_session, "task");
        Assert.Equal(leads.Select(l => "回访 " + l.Get("name")).Order(), tasks.Select(t => (string)t.Get("title")!).Order());
        Assert.Equal(117, (await _rules.RunsAsync(_session, "followUp")).Count);
    }
}
