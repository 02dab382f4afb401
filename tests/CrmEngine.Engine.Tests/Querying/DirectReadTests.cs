using System.Globalization;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;
using SortKey = CrmEngine.Engine.Records.Querying.SortKey;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using CrmEngine.Sdk.Records;
using RecordPage = CrmEngine.Engine.Records.Querying.RecordPage;
using RecordQuery = CrmEngine.Engine.Records.Querying.RecordQuery;

namespace CrmEngine.Engine.Tests.Querying;

/// <summary>
/// On SQLite, a list of a shape EF has already run is read without EF: the same SQL on a prepared
/// statement, columns read by hand. Those pages must be exactly the pages EF reads: the same
/// records, values, cursors and page flags, for every kind of field, filter, order and page. A
/// second engine on the same store with an interceptor registered reads everything through EF
/// (interceptors must see every command) and serves as the reference.
/// </summary>
public sealed class DirectReadTests : IAsyncLifetime
{
    private readonly TestStore _store = TestStore.Create();
    private EngineHarness _direct = null!;
    private EngineHarness _throughEf = null!;
    private CrmSession _session = null!;

    private static EntityDefinition Deal() => Entity("deal",
        Field("name", FieldType.Text),
        Field("notes", FieldType.LongText),
        Field("score", FieldType.Integer),
        Field("ratio", FieldType.Decimal),
        Field("amount", FieldType.Money) with { Currency = "CNY" },
        Field("won", FieldType.Boolean),
        Field("closesOn", FieldType.Date),
        Field("touchedAt", FieldType.DateTime),
        Field("email", FieldType.Email),
        Picklist("stage", "open", "won", "lost"),
        Field("tags", FieldType.MultiPicklist) with { Options = new[] { "a", "b", "c" }.Select((v, i) => new PicklistOption { Value = v, Labels = LocalizedText.Of(v, v), Order = i }).ToList() },
        Lookup("parent", "deal"));

    public async Task InitializeAsync()
    {
        _direct = new EngineHarness(store: _store);
        _throughEf = new EngineHarness(s => s.AddSingleton<IInterceptor>(new CommandLog()), _store);
        _session = await _direct.DefineAsync(await _direct.NewTenantAsync(), Deal());
        var random = new Random(7);
        Guid? parent = null;
        for (var i = 0; i < 60; i++)
        {
            var values = new Dictionary<string, object?>
            {
                ["name"] = i % 7 == 0 ? null : (i % 2 == 0 ? "深圳华为 " : "Acme ") + i.ToString("D2", CultureInfo.InvariantCulture),
                ["notes"] = i % 3 == 0 ? null : new string('x', i * 40),
                ["score"] = i % 5 == 0 ? null : (long)random.Next(-50, 50),
                ["ratio"] = i % 4 == 0 ? null : Math.Round((decimal)random.NextDouble() * 1000, 4),
                ["amount"] = i % 6 == 0 ? null : new Dictionary<string, object?> { ["amount"] = Math.Round((decimal)random.NextDouble() * 100000, 2) },
                ["won"] = i % 9 == 0 ? null : i % 2 == 0,
                ["closesOn"] = i % 8 == 0 ? null : new DateOnly(2026, 1, 1).AddDays(random.Next(-400, 400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["touchedAt"] = i % 10 == 0 ? null : new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(-100000, 100000)).AddTicks(random.Next(0, 10_000_000)),
                ["email"] = $"deal{i}@example.com",
                ["stage"] = new[] { "open", "won", "lost" }[i % 3],
                ["tags"] = i % 4 == 0 ? null : new[] { "a", "b", "c" }.Where((_, k) => ((i >> k) & 1) == 1).ToList(),
                ["parent"] = i % 5 == 1 ? parent : null,
            };
            var created = await _direct.Pipeline.CreateAsync(_session, "deal", values, CancellationToken.None);
            Assert.True(created.Succeeded, created.Errors.Count > 0 ? created.Errors[0].Message : null);
            parent ??= created.Record!.Id;
        }
    }

    public async Task DisposeAsync()
    {
        await _direct.DisposeAsync();
        await _throughEf.DisposeAsync();
        await _store.DisposeAsync();
    }

    private static readonly string[] AllFields = ["name", "notes", "score", "ratio", "amount", "won", "closesOn", "touchedAt", "email", "stage", "tags", "parent", "createdAt", "updatedAt", "version", "ownerId"];

    public static TheoryData<string> Queries() => new(QueryCases.Keys);

    private static readonly Dictionary<string, Func<int, RecordQuery>> QueryCases = new()
    {
        ["picklist eq, datetime desc"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("stage", ComparisonOperator.Eq, new[] { "open", "won", "lost" }[v % 3]), OrderBy = [new SortKey("touchedAt", SortDirection.Desc)], First = 7 + v },
        ["integer range, decimal asc, nulls first"] = v => new RecordQuery("deal") { Filter = new Condition.AllOf([new Condition.Comparison("score", ComparisonOperator.Gte, -40 + v), new Condition.Comparison("score", ComparisonOperator.Lt, 30 - v)]), OrderBy = [new SortKey("ratio", SortDirection.Asc, NullsPlacement.First)], First = 10 },
        ["text contains (Chinese), by name"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("name", ComparisonOperator.Contains, v % 2 == 0 ? "华为" : "acme"), OrderBy = [new SortKey("name")], First = 5 },
        ["date between, boolean sort"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("closesOn", ComparisonOperator.Between, new[] { "2025-06-01", v % 2 == 0 ? "2026-06-01" : "2027-01-01" }), OrderBy = [new SortKey("won", SortDirection.Desc), new SortKey("closesOn")], First = 8 },
        ["not equal keeps empty values"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("won", ComparisonOperator.Ne, v % 2 == 0), OrderBy = [new SortKey("score", SortDirection.Desc)], First = 9 },
        ["is null, money sort"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("score", ComparisonOperator.IsNull, v % 2 == 0), OrderBy = [new SortKey("amount", SortDirection.Desc)], First = 6 },
        ["multi-picklist has any"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("tags", ComparisonOperator.HasAny, v % 2 == 0 ? new[] { "a", "c" } : new[] { "b", "c" }), First = 12 },
        ["or and not, last page"] = v => new RecordQuery("deal") { Filter = new Condition.AnyOf([new Condition.Comparison("stage", ComparisonOperator.Eq, "won"), new Condition.Negation(new Condition.Comparison("ratio", ComparisonOperator.Gt, 100m + v))]), OrderBy = [new SortKey("ratio")], Last = 6 },
        ["through a lookup"] = v => new RecordQuery("deal") { Filter = new Condition.LookupMatch("parent", new Condition.Comparison("email", ComparisonOperator.Eq, v % 2 == 0 ? "deal0@example.com" : "deal1@example.com")), First = 20 },
        ["starts with (EF rewrites the operand: read by EF)"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("email", ComparisonOperator.StartsWith, v % 2 == 0 ? "deal1" : "deal2"), OrderBy = [new SortKey("email")], First = 4 },
        ["relative date range"] = v => new RecordQuery("deal") { Filter = new Condition.Comparison("touchedAt", ComparisonOperator.Relative, new RelativeDate(v % 2 == 0 ? RelativePeriod.ThisYear : RelativePeriod.LastNDays, 400)), First = 15 },
        ["deleted ones"] = v => new RecordQuery("deal") { Deleted = DeletedRecords.Include, OrderBy = [new SortKey("email", SortDirection.Desc)], First = 10 + v },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Pages_read_without_EF_are_the_pages_EF_reads(string name)
    {
        var reference = await _throughEf.SessionAsync(_session.TenantId, _session.Principal.UserId);
        var probe = StorageProbe.Start();
        for (var variant = 0; variant < 4; variant++)
        {
            var query = QueryCases[name](variant) with { Fields = AllFields };
            string? after = null;
            for (var page = 0; page < 4; page++)
            {
                var paged = query.Last is null ? query with { After = after } : query with { Before = after };
                var expected = await _throughEf.Reader.ListAsync(reference, paged, CancellationToken.None);
                var actual = await _direct.Reader.ListAsync(_session, paged, CancellationToken.None);
                Assert.Equal(Describe(expected), Describe(actual));
                after = query.Last is null ? actual.EndCursor : actual.StartCursor;
                if (after is null || !(query.Last is null ? actual.HasNextPage : actual.HasPreviousPage))
                {
                    break;
                }
            }
        }

        // EF turns a startsWith operand into a LIKE pattern of its own: a parameter that is not one of
        // the query's operands, so those shapes stay with EF.
        if (!_store.IsPostgres && !name.StartsWith("starts with", StringComparison.Ordinal))
        {
            Assert.True(probe.DirectReads > 0, "Repeated shapes should have been read without EF.");
        }
    }

    [Fact]
    public async Task Lists_with_a_list_operand_are_left_to_EF_and_still_right()
    {
        var reference = await _throughEf.SessionAsync(_session.TenantId, _session.Principal.UserId);
        var probe = StorageProbe.Start();
        foreach (var stages in new[] { new[] { "open" }, ["open", "won"], ["won", "lost", "open"] })
        {
            var query = new RecordQuery("deal") { Filter = new Condition.Comparison("stage", ComparisonOperator.In, stages), Fields = AllFields, First = 50 };
            Assert.Equal(Describe(await _throughEf.Reader.ListAsync(reference, query, CancellationToken.None)), Describe(await _direct.Reader.ListAsync(_session, query, CancellationToken.None)));
        }

        Assert.Equal(0, probe.DirectReads);
    }

    [Fact]
    public async Task A_field_added_after_a_shape_was_read_is_read_by_the_next_list()
    {
        var query = new RecordQuery("deal") { Filter = new Condition.Comparison("stage", ComparisonOperator.Eq, "open"), Fields = ["name"], First = 3 };
        await _direct.Reader.ListAsync(_session, query, CancellationToken.None);
        await _direct.Reader.ListAsync(_session, query, CancellationToken.None);

        await _direct.Metadata.AddFieldAsync(_session.Store, "deal", Field("region", FieldType.Text), null, CancellationToken.None);
        var session = await _direct.SessionAsync(_session.TenantId, _session.Principal.UserId);
        var page = await _direct.Reader.ListAsync(session, query with { Fields = ["name", "region"] }, CancellationToken.None);
        var first = page.Edges[0].Record;
        await _direct.Pipeline.UpdateAsync(session, "deal", first.Id, null, new Dictionary<string, object?> { ["region"] = "华南" }, CancellationToken.None);

        var again = await _direct.Reader.ListAsync(session, query with { Fields = ["name", "region"] }, CancellationToken.None);
        Assert.Equal("华南", again.Edges.Single(e => e.Record.Id == first.Id).Record.Get("region"));
    }

    [Fact]
    public async Task The_engines_own_queries_never_need_EFs_general_parameter_extraction()
    {
        var probe = StorageProbe.Start();
        foreach (var make in QueryCases.Values)
        {
            await _direct.Reader.ListAsync(_session, make(1) with { Fields = AllFields, IncludeTotalCount = true }, CancellationToken.None);
        }

        Assert.True(probe.OwnExtractions + probe.DirectReads > QueryCases.Count);
        Assert.Equal(0, probe.EfExtractions);
    }

    /// <summary>A page as text: every value of every record (in API form), each cursor, and the page flags.</summary>
    private static string Describe(RecordPage page) => string.Join("\n", page.Edges.Select(e =>
            e.Cursor + " " + e.Record.Id + " " + string.Join("|", AllFields.Select(f => Format(f switch
            {
                "createdAt" => e.Record.CreatedAt,
                "updatedAt" => e.Record.UpdatedAt,
                "version" => e.Record.Version,
                "ownerId" => e.Record.OwnerId,
                _ => e.Record.Get(f),
            }))))
        .Append($"next={page.HasNextPage} previous={page.HasPreviousPage} total={page.TotalCount}"));

    private static string Format(object? value) => value switch
    {
        null => "∅",
        DateTime instant => instant.ToString("O", CultureInfo.InvariantCulture) + instant.Kind,
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list and not string => "[" + string.Join(",", list.Cast<object?>().Select(Format)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) + ":" + value.GetType().Name,
    };
}
