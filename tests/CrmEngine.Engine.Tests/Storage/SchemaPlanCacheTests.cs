using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>
/// New tenants go through the same schema changes (the engine's tables, then each default plugin):
/// the DDL of a change is worked out once per storage shape and reused, never reused across shapes.
/// </summary>
public sealed class SchemaPlanCacheTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public void The_same_change_between_the_same_shapes_reuses_one_plan_whatever_the_labels_and_versions()
    {
        var migrator = _engine.Services.GetRequiredService<SchemaMigrator>();
        var before = new MetadataSnapshot(3, [Entity("one")]);
        var after = new MetadataSnapshot(4, [Entity("one"), Lead()]);
        var relabelled = new MetadataSnapshot(9, [Entity("one"), Lead() with { Labels = LocalizedText.Of("Prospect", "潜在客户") }]);

        var plan = migrator.PlanEntities(before, after);

        Assert.Contains(plan, c => Regex.IsMatch(c.CommandText, @"CREATE TABLE ""?lead""? \("));
        Assert.Same(plan, migrator.PlanEntities(new MetadataSnapshot(1, [Entity("one")]), relabelled));
    }

    [Fact]
    public void A_change_to_another_shape_gets_its_own_plan_and_no_change_gets_none()
    {
        var migrator = _engine.Services.GetRequiredService<SchemaMigrator>();
        var before = new MetadataSnapshot(1, [Entity("one")]);
        var withLead = migrator.PlanEntities(before, new MetadataSnapshot(2, [Entity("one"), Lead()]));
        var withExtra = migrator.PlanEntities(before, new MetadataSnapshot(2, [Entity("one"), Lead() with { Fields = [.. Lead().Fields, Field("extra", FieldType.Text)] }]));

        Assert.NotSame(withLead, withExtra);
        Assert.DoesNotContain(withLead, c => Column("extra").IsMatch(c.CommandText));
        Assert.Contains(withExtra, c => Column("extra").IsMatch(c.CommandText));
        Assert.Empty(migrator.PlanEntities(before, new MetadataSnapshot(5, [Entity("one")])));
    }

    [Fact]
    public async Task Tenants_made_one_after_another_each_get_every_system_table()
    {
        var first = await _engine.NewTenantAsync();
        var second = await _engine.NewTenantAsync();

        await using var one = first.Store.CreateContext();
        await using var two = second.Store.CreateContext();
        Assert.Equal(await Tables(one), await Tables(two));
        Assert.Contains("crm_audit", await Tables(two));
    }

    /// <summary>A column of that name in a CREATE TABLE, quoted (SQLite) or not (PostgreSQL).</summary>
    private static Regex Column(string name) => new($@"\n\s+""?{name}""?\s");

    private static async Task<List<string>> Tables(TenantDbContext context) =>
        await context.Database.SqlQueryRaw<string>(
            context.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal)
                ? "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
                : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' ORDER BY 1").ToListAsync();
}
