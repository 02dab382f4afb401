using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Storage;

/// <summary>Metadata changes become real DDL in the tenant's own store (its SQLite file, or its PostgreSQL schema).</summary>
public sealed class SchemaChangeTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Creating_an_entity_creates_a_table_with_typed_columns_and_system_columns()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var columns = await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "lead");
        Assert.Contains(("score", StoreTypes.Integer), columns);
        Assert.Contains(("budget", StoreTypes.Decimal), columns);
        Assert.Contains(("budget_currency", StoreTypes.Text), columns);
        foreach (var system in new[] { "id", "created_at", "updated_at", "created_by", "updated_by", "owner_id", "version", "deleted_at" })
        {
            Assert.Contains(columns, c => c.Name == system);
        }

        Assert.Contains(await StoreInspector.IndexesAsync(session.Store.ConnectionString, "lead"), i => i.Unique && i.Name.Contains("email", StringComparison.Ordinal));
        Assert.Equal(1, session.Metadata.Version);
    }

    [Fact]
    public async Task Adding_a_lookup_adds_a_column_with_a_foreign_key_and_keeps_existing_rows()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("account", Field("name", FieldType.Text)));
        session = await _engine.DefineAsync(session, Entity("contact", Field("name", FieldType.Text)));
        await _engine.Pipeline.CreateAsync(session, "contact", new Dictionary<string, object?> { ["name"] = "王芳" }, CancellationToken.None);

        await _engine.Metadata.AddFieldAsync(session.Store, "contact", Lookup("account", "account"), null, CancellationToken.None);

        Assert.Contains(("account", "account_id"), await StoreInspector.ForeignKeysAsync(session.Store.ConnectionString, "contact"));
        Assert.Equal(1, await StoreInspector.CountAsync(session.Store.ConnectionString, "contact"));
    }

    [Fact]
    public async Task Every_change_bumps_the_version_and_is_logged()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        await _engine.Metadata.UpdateEntityAsync(session.Store, "lead", new EntityUpdate { Labels = LocalizedText.Of("Prospect", "潜在客户") }, null, CancellationToken.None);
        Assert.Equal(2, session.Store.Metadata.Version);
        Assert.Equal("潜在客户", session.Store.Metadata.Find("lead")!.Labels.Get("zh-CN"));
        var log = await StoreInspector.QueryAsync(session.Store.ConnectionString, "SELECT version, summary FROM crm_metadata_change ORDER BY version", r => (r.GetInt64(0), r.GetString(1)));
        Assert.Equal([1L, 2L], log.Select(l => l.Item1));
    }

    [Fact]
    public async Task Removing_a_field_keeps_its_column_and_data_until_it_is_purged()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        await _engine.Pipeline.CreateAsync(session, "lead", new Dictionary<string, object?> { ["name"] = "A", ["score"] = 7 }, CancellationToken.None);

        await _engine.Metadata.RemoveFieldAsync(session.Store, "lead", "score", null, CancellationToken.None);
        Assert.Contains(await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "lead"), c => c.Name == "score");
        Assert.Null(session.Store.Metadata.Find("lead")!.FindField("score"));

        await _engine.Metadata.RestoreFieldAsync(session.Store, "lead", "score", null, CancellationToken.None);
        var restored = await _engine.SessionAsync(session.TenantId);
        var page = await _engine.Reader.ListAsync(restored, new Engine.Records.Querying.RecordQuery("lead"), CancellationToken.None);
        Assert.Equal(7L, page.Edges.Single().Record.Get("score"));

        await _engine.Metadata.RemoveFieldAsync(session.Store, "lead", "score", null, CancellationToken.None);
        await _engine.Metadata.PurgeFieldAsync(session.Store, "lead", "score", null, CancellationToken.None);
        Assert.DoesNotContain(await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "lead"), c => c.Name == "score");
    }

    [Fact]
    public async Task Purging_needs_a_removed_definition_first()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var error = await Assert.ThrowsAsync<CrmException>(() => _engine.Metadata.PurgeFieldAsync(session.Store, "lead", "score", null, CancellationToken.None));
        Assert.Equal(ErrorCodes.NotRemoved, error.Code);
    }

    [Fact]
    public async Task Removing_an_entity_other_entities_look_up_is_refused()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("account", Field("name", FieldType.Text)));
        await _engine.DefineAsync(session, Entity("contact", Lookup("account", "account")));
        var error = await Assert.ThrowsAsync<CrmException>(() => _engine.Metadata.RemoveEntityAsync(session.Store, "account", null, CancellationToken.None));
        Assert.Equal(ErrorCodes.EntityInUse, error.Code);
    }

    [Fact]
    public async Task Removing_restoring_and_purging_an_entity()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        await _engine.Pipeline.CreateAsync(session, "lead", new Dictionary<string, object?> { ["name"] = "A" }, CancellationToken.None);
        await _engine.Metadata.RemoveEntityAsync(session.Store, "lead", null, CancellationToken.None);
        Assert.Null(session.Store.Metadata.Find("lead"));
        Assert.Equal(1, await StoreInspector.CountAsync(session.Store.ConnectionString, "lead"));

        var clash = await Assert.ThrowsAsync<CrmException>(() => _engine.Metadata.CreateEntityAsync(session.Store, Lead(), null, CancellationToken.None));
        Assert.Equal(ErrorCodes.NameTaken, clash.Code);

        await _engine.Metadata.RestoreEntityAsync(session.Store, "lead", null, CancellationToken.None);
        Assert.NotNull(session.Store.Metadata.Find("lead"));

        await _engine.Metadata.RemoveEntityAsync(session.Store, "lead", null, CancellationToken.None);
        await _engine.Metadata.PurgeEntityAsync(session.Store, "lead", null, CancellationToken.None);
        Assert.DoesNotContain("lead", await StoreInspector.TablesAsync(session.Store.ConnectionString));
    }

    [Fact]
    public async Task Changing_text_to_integer_converts_values_that_fit()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("item", Field("qty", FieldType.Text)));
        await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["qty"] = "12" }, CancellationToken.None);
        await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["qty"] = " 7 " }, CancellationToken.None);

        await _engine.Metadata.UpdateFieldAsync(session.Store, "item", "qty", new FieldUpdate { Type = FieldType.Integer }, null, CancellationToken.None);

        Assert.Contains(("qty", StoreTypes.Integer), await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "item"));
        // Stored as integers, not as text that looks like one (SQLite keeps whatever type a value came with;
        // its reader reports each value's own storage class).
        var values = await StoreInspector.QueryAsync(session.Store.ConnectionString, "SELECT qty FROM item ORDER BY qty", r => (r.GetFieldType(0), r.GetInt64(0)));
        Assert.Equal([(typeof(long), 7L), (typeof(long), 12L)], values);
    }

    [Fact]
    public async Task Reads_made_before_a_type_change_read_the_new_type_after_it()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("item", Field("qty", FieldType.Text)));
        var item = (await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["qty"] = "12" }, CancellationToken.None)).Record!;
        // Often enough for the store's connections to keep the statements prepared (PostgreSQL).
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("12", (await _engine.Reader.ListAsync(session, new Engine.Records.Querying.RecordQuery("item"), CancellationToken.None)).Edges.Single().Record.Get("qty"));
            Assert.Equal("12", (await _engine.Reader.GetAsync(session, "item", item.Id, includeDeleted: false, CancellationToken.None))!.Get("qty"));
        }

        await _engine.Metadata.UpdateFieldAsync(session.Store, "item", "qty", new FieldUpdate { Type = FieldType.Integer }, null, CancellationToken.None);

        var changed = await _engine.SessionAsync(session.TenantId);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(12L, (await _engine.Reader.ListAsync(changed, new Engine.Records.Querying.RecordQuery("item"), CancellationToken.None)).Edges.Single().Record.Get("qty"));
            Assert.Equal(12L, (await _engine.Reader.GetAsync(changed, "item", item.Id, includeDeleted: false, CancellationToken.None))!.Get("qty"));
        }
    }

    [Fact]
    public async Task Changing_text_to_integer_with_data_that_will_not_convert_is_refused_and_changes_nothing()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("item", Field("qty", FieldType.Text)));
        await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["qty"] = "12" }, CancellationToken.None);
        await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["qty"] = "a dozen" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<CrmException>(() =>
            _engine.Metadata.UpdateFieldAsync(session.Store, "item", "qty", new FieldUpdate { Type = FieldType.Integer }, null, CancellationToken.None));

        Assert.Equal(ErrorCodes.UnsafeChange, error.Code);
        Assert.Contains("a dozen", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, session.Store.Metadata.Version);
        Assert.Contains(("qty", StoreTypes.Text), await StoreInspector.ColumnsAsync(session.Store.ConnectionString, "item"));
        var values = await StoreInspector.QueryAsync(session.Store.ConnectionString, "SELECT qty FROM item ORDER BY qty", r => r.GetString(0));
        Assert.Equal(["12", "a dozen"], values);
    }

    [Fact]
    public async Task Unsupported_type_changes_are_refused()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var error = await Assert.ThrowsAsync<CrmException>(() =>
            _engine.Metadata.UpdateFieldAsync(session.Store, "lead", "budget", new FieldUpdate { Type = FieldType.Boolean }, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.UnsafeChange, error.Code);
    }

    [Fact]
    public async Task Making_a_field_unique_over_duplicate_data_is_refused()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("item", Field("sku", FieldType.Text)));
        await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["sku"] = "A1" }, CancellationToken.None);
        await _engine.Pipeline.CreateAsync(session, "item", new Dictionary<string, object?> { ["sku"] = "A1" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<CrmException>(() =>
            _engine.Metadata.UpdateFieldAsync(session.Store, "item", "sku", new FieldUpdate { Unique = true }, null, CancellationToken.None));

        Assert.Equal(ErrorCodes.UnsafeChange, error.Code);
        Assert.False(session.Store.Metadata.Find("item")!.FindField("sku")!.Unique);
    }

    [Fact]
    public async Task Dropping_a_picklist_option_in_use_is_refused()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("deal", Picklist("stage", "open", "won")));
        await _engine.Pipeline.CreateAsync(session, "deal", new Dictionary<string, object?> { ["stage"] = "won" }, CancellationToken.None);
        var onlyOpen = Picklist("stage", "open").Options;

        var error = await Assert.ThrowsAsync<CrmException>(() =>
            _engine.Metadata.UpdateFieldAsync(session.Store, "deal", "stage", new FieldUpdate { Options = new Patch<IReadOnlyList<PicklistOption>?>(true, onlyOpen) }, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.UnsafeChange, error.Code);
    }

    [Fact]
    public async Task Adding_an_auto_number_field_numbers_existing_records_in_creation_order()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("ticket", Field("subject", FieldType.Text)));
        foreach (var subject in new[] { "first", "second" })
        {
            await _engine.Pipeline.CreateAsync(session, "ticket", new Dictionary<string, object?> { ["subject"] = subject }, CancellationToken.None);
        }

        await _engine.Metadata.AddFieldAsync(session.Store, "ticket", Field("number", FieldType.AutoNumber) with { AutoNumberFormat = "T-{000}" }, null, CancellationToken.None);
        var numbered = await StoreInspector.QueryAsync(session.Store.ConnectionString, "SELECT subject, number FROM ticket ORDER BY number", r => (r.GetString(0), r.GetString(1)));
        Assert.Equal([("first", "T-001"), ("second", "T-002")], numbered);

        var next = await _engine.Pipeline.CreateAsync(await _engine.SessionAsync(session.TenantId), "ticket", new Dictionary<string, object?> { ["subject"] = "third" }, CancellationToken.None);
        Assert.Equal("T-003", next.Record!.Get("number"));
    }
}
