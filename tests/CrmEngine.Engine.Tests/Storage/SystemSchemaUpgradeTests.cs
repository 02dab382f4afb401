using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;
using CrmEngine.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>Existing tenant stores gain new and changed system tables when a newer engine opens them.</summary>
public sealed class SystemSchemaUpgradeTests
{
    [Fact]
    public async Task A_new_system_table_group_and_a_later_version_of_it_are_applied_to_existing_stores()
    {
        await using var store = TestStore.Create();
        string tenant;
        await using (var before = new EngineHarness(store: store))
        {
            tenant = (await before.NewTenantAsync()).TenantId;
        }

        await using (var v1 = new EngineHarness(s => s.AddSingleton<ISystemTables>(new NotesTables(1)), store))
        {
            var session = await v1.SessionAsync(tenant);
            Assert.Contains(("text", StoreTypes.Text), await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "crm_test_note"));
            Assert.DoesNotContain(await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "crm_test_note"), c => c.Name == "pinned");
        }

        await using var v2 = new EngineHarness(s => s.AddSingleton<ISystemTables>(new NotesTables(2)), store);
        var upgraded = await v2.SessionAsync(tenant);
        Assert.Contains(("pinned", StoreTypes.Boolean), await StoreInspector.ColumnsAsync(upgraded.Store.ConnectionString, "crm_test_note"));
        var versions = await StoreInspector.QueryAsync(upgraded.Store.ConnectionString, "SELECT name, version FROM crm_system_schema ORDER BY name", r => (r.GetString(0), r.GetInt64(1)));
        Assert.Equal([("core", (long)CoreSystemTables.CurrentVersion), ("identity", 1L), ("merge", 1L), ("settings", 1L), ("sharing", 1L), ("test-notes", 2L)], versions);
    }

    [Fact]
    public Task A_store_made_by_core_version_4_gains_the_audit_cause() => UpgradeCoreAsync(4,
        async old => Assert.DoesNotContain(await StoreInspector.ColumnsAsync(old, "crm_audit"), c => c.Name == "cause"),
        async upgraded => Assert.Contains(("cause", StoreTypes.Text), await StoreInspector.ColumnsAsync(upgraded, "crm_audit")));

    [Fact]
    public Task A_store_made_by_core_version_1_gains_the_outbox_pending_index() => UpgradeCoreAsync(1,
        async old => Assert.DoesNotContain(await StoreInspector.IndexesAsync(old, "crm_outbox"), i => i.Name == "IX_crm_outbox_pending"),
        async upgraded => Assert.Contains(await StoreInspector.IndexesAsync(upgraded, "crm_outbox"), i => i.Name == "IX_crm_outbox_pending" && i.Columns.SequenceEqual(["seq"])));

    [Fact]
    public Task A_store_made_by_core_version_2_gains_the_outbox_record_of_which_handlers_handled_a_change() => UpgradeCoreAsync(2,
        async old => Assert.DoesNotContain(await StoreInspector.ColumnsAsync(old, "crm_outbox"), c => c.Name == "handled_by"),
        async upgraded => Assert.Contains(("handled_by", StoreTypes.Text), await StoreInspector.ColumnsAsync(upgraded, "crm_outbox")));

    [Fact]
    public Task A_store_made_by_core_version_3_gains_the_outbox_transaction_id_and_the_changes_feed_index() => UpgradeCoreAsync(3,
        async old => Assert.DoesNotContain(await StoreInspector.ColumnsAsync(old, "crm_outbox"), c => c.Name == "xid"),
        async upgraded =>
        {
            Assert.Contains(("xid", StoreTypes.Integer), await StoreInspector.ColumnsAsync(upgraded, "crm_outbox"));
            Assert.Contains(await StoreInspector.IndexesAsync(upgraded, "crm_outbox"), i => i.Name == "IX_crm_outbox_changes" && i.Columns.SequenceEqual(["entity", "xid", "seq"]));
        });

    [Fact]
    public async Task A_store_made_by_reports_version_1_gains_folders_sharing_and_dashboards_and_its_reports_stay_private()
    {
        await using var store = TestStore.Create();
        string tenant;
        var id = Guid.CreateVersion7();
        await using (var v1 = new EngineHarness(s => s.AddSingleton<ISystemTables>(new PinnedTables(new ReportTables(), 1)), store))
        {
            var session = await v1.NewTenantAsync();
            tenant = session.TenantId;
            Assert.DoesNotContain(await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "crm_report"), c => c.Name == "sharing");
            await using var context = session.CreateContext();
            context.Add(new ReportRow { Id = id, Name = "Old", Entity = "contact", Definition = "{}", Sharing = "not written at version 1", OwnerId = Guid.CreateVersion7() });
            await context.SaveChangesAsync();
        }

        await using var v2 = new EngineHarness(s => s.AddSingleton<ISystemTables>(new ReportTables()), store);
        var upgraded = await v2.SessionAsync(tenant);
        Assert.Contains(("folder", StoreTypes.Text), await StoreInspector.ColumnsAsync(upgraded.Store.ConnectionString, "crm_report"));
        Assert.Contains(("report_ids", StoreTypes.Text), await StoreInspector.ColumnsAsync(upgraded.Store.ConnectionString, "crm_dashboard"));
        await using var read = upgraded.CreateContext();
        var old = await read.Set<ReportRow>().SingleAsync(r => r.Id == id);
        Assert.Equal(ReportAccess.Private, ReportSharing.Read(old.Sharing).Access);
        Assert.Null(old.Folder);
    }

    /// <summary>
    /// Makes a tenant store with the core tables of <paramref name="version"/> and checks it, then
    /// opens it with the current engine and checks that it was upgraded to the current version.
    /// </summary>
    private static async Task UpgradeCoreAsync(int version, Func<string, Task> checkOld, Func<string, Task> checkUpgraded)
    {
        await using var store = TestStore.Create();
        string tenant;
        await using (var old = new EngineHarness(s => PinCore(s, version), store))
        {
            var session = await old.NewTenantAsync();
            tenant = session.TenantId;
            await checkOld(session.Store.ConnectionString);
        }

        await using var current = new EngineHarness(store: store);
        var upgraded = await current.SessionAsync(tenant);
        await checkUpgraded(upgraded.Store.ConnectionString);
        Assert.Equal([CoreSystemTables.CurrentVersion], await StoreInspector.QueryAsync(upgraded.Store.ConnectionString, "SELECT version FROM crm_system_schema WHERE name = 'core'", r => r.GetInt32(0)));
    }

    /// <summary>Runs an engine whose core tables are those of an older version.</summary>
    private static void PinCore(IServiceCollection services, int version)
    {
        var core = services.Single(d => d.ImplementationType == typeof(CoreSystemTables));
        services.Remove(core);
        services.AddSingleton<ISystemTables>(sp => new PinnedTables(ActivatorUtilities.CreateInstance<CoreSystemTables>(sp), version));
    }

    private sealed class PinnedTables(ISystemTables current, int version) : ISystemTables
    {
        public string Name => current.Name;

        public int Version => version;

        public void Configure(ModelBuilder builder, int atVersion) => current.Configure(builder, atVersion);
    }

    private sealed class NoteRow
    {
        public int Id { get; set; }

        public string? Text { get; set; }

        public bool Pinned { get; set; }
    }

    private sealed class NotesTables(int version) : ISystemTables
    {
        public string Name => "test-notes";

        public int Version => version;

        public void Configure(ModelBuilder builder, int atVersion) => builder.Entity<NoteRow>(b =>
        {
            b.ToTable("crm_test_note");
            if (atVersion < 2)
            {
                b.Ignore(x => x.Pinned);
            }
        });
    }
}
