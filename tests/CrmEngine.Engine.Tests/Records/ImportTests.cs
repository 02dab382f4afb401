using System.Data.Common;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;
using CrmEngine.Testing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;
using SortKey = CrmEngine.Engine.Records.Querying.SortKey;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Records;

public sealed class ImportTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new(s => s.AddSingleton<IRecordHook>(new NoSpamHook()));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Imports_validate_run_hooks_and_write_records_readable_and_searchable_like_single_creates()
    {
        var lead = Lead() with { Fields = [.. Lead().Fields.Select(f => f.Name == "name" ? f with { Searchable = true } : f)] };
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), lead);
        var importer = _engine.Services.GetRequiredService<RecordImporter>();
        var input = Enumerable.Range(0, 250).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["name"] = i == 7 ? null : i == 9 ? "spam" : $"导入线索 {i}",
            ["score"] = i == 11 ? 1000 : i % 100,
            ["email"] = $"lead{i}@example.com",
        });

        var result = await importer.ImportAsync(session, "lead", input, batchSize: 100, CancellationToken.None);

        Assert.Equal(247, result.Imported);
        Assert.Equal([7, 9, 11], result.Refused.Select(r => r.Index).ToList());
        Assert.Equal(ErrorCodes.Required, result.Refused[0].Errors[0].Code);
        Assert.Equal(ErrorCodes.Rejected, result.Refused[1].Errors[0].Code);
        Assert.Equal(ErrorCodes.OutOfRange, result.Refused[2].Errors[0].Code);

        var page = await _engine.Reader.ListAsync(session, new RecordQuery("lead") { Filter = new Condition.Comparison("score", ComparisonOperator.Eq, 42), IncludeTotalCount = true }, CancellationToken.None);
        Assert.Equal(3, page.TotalCount);
        Assert.Equal("new", page.Edges[0].Record.Get("status"));
        Assert.StartsWith("L-", (string)page.Edges[0].Record.Get("code")!, StringComparison.Ordinal);

        await using var context = session.CreateContext();
        var hits = await _engine.Services.GetRequiredService<ISearchIndex>().SearchAsync(context, "线索 142", ["lead"], 10, CancellationToken.None);
        Assert.Single(hits);
    }

    [Fact]
    public async Task A_record_breaking_a_unique_value_or_a_lookup_is_refused_alone_and_the_rest_of_its_batch_is_written()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var importer = _engine.Services.GetRequiredService<RecordImporter>();
        var taken = await importer.ImportAsync(session, "lead", [Row("taken@example.com")], batchSize: 10, CancellationToken.None);
        var input = new[] { "a@example.com", "taken@example.com", "b@example.com", "a@example.com" }.Select(Row);

        var result = await importer.ImportAsync(session, "lead", input, batchSize: 10, CancellationToken.None);

        Assert.Equal(1, taken.Imported);
        Assert.Equal(2, result.Imported);
        Assert.Equal([(1, ErrorCodes.UniqueViolation, "email"), (3, ErrorCodes.UniqueViolation, "email")], result.Refused.Select(r => (r.Index, r.Errors[0].Code, r.Errors[0].Field)).ToList());
        var page = await _engine.Reader.ListAsync(session, new RecordQuery("lead") { IncludeTotalCount = true }, CancellationToken.None);
        Assert.Equal(3, page.TotalCount);
    }

    [Fact]
    public async Task Records_the_store_refuses_in_the_middle_of_a_batch_leave_the_others_in_the_batchs_one_transaction_numbered_without_gaps()
    {
        var commits = new CommitCounter();
        await using var engine = new EngineHarness(s => s.AddSingleton<IInterceptor>(commits));
        var session = await engine.DefineAsync(await engine.NewTenantAsync(), Lead());
        var importer = engine.Services.GetRequiredService<RecordImporter>();
        await importer.ImportAsync(session, "lead", [Row("taken@example.com")], batchSize: 10, CancellationToken.None);
        commits.Clear();
        var input = new[] { "a@example.com", "taken@example.com", "b@example.com", "a@example.com", "c@example.com" }.Select(Row);

        var result = await importer.ImportAsync(session, "lead", input, batchSize: 10, CancellationToken.None);

        Assert.Equal(3, result.Imported);
        Assert.Equal([(1, ErrorCodes.UniqueViolation, "email"), (3, ErrorCodes.UniqueViolation, "email")], result.Refused.Select(r => (r.Index, r.Errors[0].Code, r.Errors[0].Field)).ToList());
        // SQLite refuses a row alone and keeps the transaction; PostgreSQL's COPY can't, so there the batch is written again record by record.
        Assert.Equal(TestStorage.IsPostgres ? 3 : 1, commits.Count);
        var page = await engine.Reader.ListAsync(session, new RecordQuery("lead") { OrderBy = [new SortKey(["code"])] }, CancellationToken.None);
        Assert.Equal([("taken@example.com", "L-0001"), ("a@example.com", "L-0002"), ("b@example.com", "L-0003"), ("c@example.com", "L-0004")],
            page.Edges.Select(e => ((string)e.Record.Get("email")!, (string)e.Record.Get("code")!)).ToList());
    }

    [Fact]
    public async Task A_dry_run_reports_what_an_import_would_refuse_and_writes_nothing()
    {
        var session = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var importer = _engine.Services.GetRequiredService<RecordImporter>();
        await importer.ImportAsync(session, "lead", [Row("taken@example.com")], batchSize: 10, CancellationToken.None);

        var result = await importer.ImportAsync(session, "lead", new[] { "a@example.com", "taken@example.com" }.Select(Row), batchSize: 10, dryRun: true, CancellationToken.None);

        Assert.Equal(1, result.Imported);
        Assert.Equal([(1, ErrorCodes.UniqueViolation)], result.Refused.Select(r => (r.Index, r.Errors[0].Code)).ToList());
        var page = await _engine.Reader.ListAsync(session, new RecordQuery("lead") { IncludeTotalCount = true }, CancellationToken.None);
        Assert.Equal(1, page.TotalCount);
    }

    private static IReadOnlyDictionary<string, object?> Row(string email) => new Dictionary<string, object?> { ["name"] = "x", ["email"] = email };

    [Fact]
    public async Task Imports_are_held_to_the_callers_create_and_assign_rights()
    {
        var admin = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var importer = _engine.Services.GetRequiredService<RecordImporter>();
        IReadOnlyDictionary<string, object?> Row(string name, Guid? owner = null)
        {
            var row = new Dictionary<string, object?> { ["name"] = name };
            if (owner is { } id)
            {
                row[SystemFields.OwnerId] = id;
            }

            return row;
        }

        // A reader may create nothing; a user creates records for themself but can't assign them away.
        var reader = new CrmSession(admin.Store, new CrmPrincipal(admin.TenantId, Guid.NewGuid(), "k1", ["reader"]));
        var refused = await importer.ImportAsync(reader, "lead", [Row("a"), Row("b")], batchSize: 10, CancellationToken.None);
        Assert.Equal(0, refused.Imported);
        Assert.Equal([ErrorCodes.Forbidden, ErrorCodes.Forbidden], refused.Refused.Select(r => r.Errors[0].Code).ToList());

        var userId = Guid.NewGuid();
        var user = new CrmSession(admin.Store, new CrmPrincipal(admin.TenantId, userId, "k2", ["user"]));
        var mixed = await importer.ImportAsync(user, "lead", [Row("mine"), Row("someone else's", Guid.NewGuid())], batchSize: 10, CancellationToken.None);
        Assert.Equal(1, mixed.Imported);
        Assert.Equal([1], mixed.Refused.Select(r => r.Index).ToList());
        Assert.Equal(ErrorCodes.Forbidden, mixed.Refused[0].Errors[0].Code);

        var page = await _engine.Reader.ListAsync(admin, new RecordQuery("lead") { IncludeTotalCount = true }, CancellationToken.None);
        Assert.Equal(1, page.TotalCount);
        Assert.Equal(userId, page.Edges[0].Record.OwnerId);
    }

    [Fact]
    public async Task Imported_records_are_given_only_to_active_users_of_the_tenant()
    {
        var admin = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var identities = _engine.Services.GetRequiredService<IdentityDirectory>();
        var ann = await identities.CreateUserAsync(admin.Store, admin.Principal.UserId, "ann@example.cn", "Ann", null, ["user"], CancellationToken.None);
        var gone = await identities.CreateUserAsync(admin.Store, admin.Principal.UserId, "gone@example.cn", "Gone", null, ["user"], CancellationToken.None);
        await identities.UpdateUserAsync(admin.Store, admin.Principal.UserId, gone.Id, null, false, default, CancellationToken.None);
        IReadOnlyDictionary<string, object?> Row(string name, Guid owner) => new Dictionary<string, object?> { ["name"] = name, [SystemFields.OwnerId] = owner };

        var result = await _engine.Services.GetRequiredService<RecordImporter>().ImportAsync(admin, "lead",
            [Row("for ann", ann.Id), Row("for nobody", Guid.CreateVersion7()), Row("for gone", gone.Id), Row("for me", admin.Principal.UserId)], batchSize: 10, CancellationToken.None);

        Assert.Equal(2, result.Imported);
        Assert.Equal([(1, ErrorCodes.UserNotFound), (2, ErrorCodes.UserNotFound)], result.Refused.Select(r => (r.Index, r.Errors[0].Code)).ToList());
    }

    [Fact]
    public async Task An_imported_lookup_to_a_record_the_importer_may_not_see_is_refused_as_one_to_no_record()
    {
        var admin = await _engine.DefineAsync(await _engine.NewTenantAsync(), Entity("account", Field("name", FieldType.Text)));
        admin = await _engine.DefineAsync(admin, Entity("contact", Field("name", FieldType.Text), Lookup("account", "account")));
        var identities = _engine.Services.GetRequiredService<IdentityDirectory>();
        var ownOnly = new EntityGrant { Create = AccessScope.Own, Read = AccessScope.Own };
        await identities.SaveRoleAsync(admin.Store, admin.Principal.UserId, new RoleDefinition { Name = "ownRep", Entities = new Dictionary<string, EntityGrant> { ["*"] = ownOnly } }, CancellationToken.None);
        var principal = new CrmPrincipal(admin.TenantId, Guid.CreateVersion7(), "k1", ["ownRep"]);
        var rep = new CrmSession(admin.Store, principal, await identities.PermissionsAsync(admin.Store, principal, CancellationToken.None));
        var own = (await _engine.Pipeline.CreateAsync(rep, "account", new Dictionary<string, object?> { ["name"] = "mine" }, CancellationToken.None)).Record!.Id;
        var hidden = (await _engine.Pipeline.CreateAsync(admin, "account", new Dictionary<string, object?> { ["name"] = "someone else's" }, CancellationToken.None)).Record!.Id;
        var madeUp = Guid.CreateVersion7();
        IReadOnlyDictionary<string, object?> Row(Guid account) => new Dictionary<string, object?> { ["name"] = "contact", ["account"] = account };

        var result = await _engine.Services.GetRequiredService<RecordImporter>().ImportAsync(rep, "contact", [Row(own), Row(hidden), Row(madeUp)], batchSize: 10, CancellationToken.None);

        Assert.Equal(1, result.Imported);
        Assert.Equal([1, 2], result.Refused.Select(r => r.Index).ToList());
        var forHidden = Assert.Single(result.Refused[0].Errors);
        var forMadeUp = Assert.Single(result.Refused[1].Errors);
        Assert.Equal(forMadeUp with { Message = forMadeUp.Message.Replace(madeUp.ToString(), "<id>", StringComparison.Ordinal) },
            forHidden with { Message = forHidden.Message.Replace(hidden.ToString(), "<id>", StringComparison.Ordinal) });
        Assert.Equal(ErrorCodes.LookupNotFound, forHidden.Code);
    }

    /// <summary>Counts the transactions EF commits.</summary>
    private sealed class CommitCounter : DbTransactionInterceptor
    {
        private int _count;

        public int Count => _count;

        public void Clear() => _count = 0;

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }

    private sealed class NoSpamHook : IRecordHook
    {
        public string Source => "test";

        public bool AppliesTo(RecordChange change) => change.Entity.Name == "lead";

        public Task ValidateAsync(RecordChange change, CancellationToken cancellationToken)
        {
            if ((string?)change.Get("name") == "spam")
            {
                change.Reject("No spam.", "name");
            }

            return Task.CompletedTask;
        }
    }
}
