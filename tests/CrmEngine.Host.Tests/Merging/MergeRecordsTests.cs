using System.Text.Json.Nodes;
using CrmEngine.Engine.Records;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Merging.MergeFixtures;

namespace CrmEngine.Host.Tests.Merging;

/// <summary>mergeRecords and undoMerge over real HTTP, on custom entities with lookups of every kind to the merged entity.</summary>
[Collection(HostGroup.Name)]
public sealed class MergeRecordsTests(HostFixture fixture)
{
    private sealed record World(MergeFixtures Crm, string Master, string Second, string Third, string P1, string P2, string P3, string Deal, string Child);

    /// <summary>Three records of one company: the master (no e-mail), a second and a third; people, a deal and a child company pointing at each.</summary>
    private static async Task<World> MakeAsync(TenantClient client)
    {
        var crm = await DefineAsync(client);
        var master = await crm.CreateAsync("company", new { name = "星辰科技", city = "上海" });
        var second = await crm.CreateAsync("company", new { name = "上海星辰科技有限公司", email = "info@xingchen.cn", city = "北京" });
        var third = await crm.CreateAsync("company", new { name = "Xingchen Tech" });
        return new World(crm, master, second, third,
            await crm.CreateAsync("person", new { name = "陈静", employerId = second }),
            await crm.CreateAsync("person", new { name = "李雷", employerId = third }),
            await crm.CreateAsync("person", new { name = "王芳", employerId = master }),
            await crm.CreateAsync("deal", new { title = "年度合同", supplierId = second }),
            await crm.CreateAsync("company", new { name = "星辰华南分公司", parentId = third }));
    }

    private static object MergeAll(World w, object? masterVersion = null) => new
    {
        entity = "company",
        masterId = w.Master,
        masterVersion,
        duplicates = new object[] { new { id = w.Second, version = 1 }, new { id = w.Third } },
        fields = new object[] { new { field = "name", from = w.Second }, new { field = "email", from = w.Second }, new { field = "city", value = "深圳" } },
    };

    private static async Task<string?> PointsAtAsync(MergeFixtures crm, string entity, string id, string lookup) =>
        (await crm.ReadAsync(entity, id, lookup + "Id"))![lookup + "Id"]?.GetValue<string>();

    [Fact]
    public async Task Merging_moves_every_related_record_to_the_master_takes_the_chosen_values_and_deletes_the_duplicates()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var w = await MakeAsync(client);
        var crm = w.Crm;
        var cursor = (await client.QueryAsync("{ personChanges(first: 100) { cursor } }"))["personChanges"]!["cursor"]!.GetValue<string>();

        var merged = await crm.MergeAsync(MergeAll(w, masterVersion: 1));

        Assert.Null(Code(merged));
        var master = merged["master"]!;
        Assert.Equal(("上海星辰科技有限公司", "info@xingchen.cn", "深圳"), (master["name"]!.GetValue<string>(), master["email"]!.GetValue<string>(), master["city"]!.GetValue<string>()));
        Assert.True(DateTime.Parse(merged["undoUntil"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTime.UtcNow.AddDays(29));

        // Every lookup to a duplicate now points at the master: two people, a deal's custom field, a company's parent.
        Assert.Equal(w.Master, await PointsAtAsync(crm, "person", w.P1, "employer"));
        Assert.Equal(w.Master, await PointsAtAsync(crm, "person", w.P2, "employer"));
        Assert.Equal(w.Master, await PointsAtAsync(crm, "person", w.P3, "employer"));
        Assert.Equal(w.Master, await PointsAtAsync(crm, "deal", w.Deal, "supplier"));
        Assert.Equal(w.Master, await PointsAtAsync(crm, "company", w.Child, "parent"));

        // The duplicates are deleted and name their master.
        foreach (var duplicate in new[] { w.Second, w.Third })
        {
            var gone = (await crm.ReadAsync("company", duplicate, "deletedAt mergedInto"))!;
            Assert.NotNull(gone["deletedAt"]);
            Assert.Equal(w.Master, gone["mergedInto"]!.GetValue<string>());
        }

        Assert.Null((await crm.ReadAsync("company", w.Master, "mergedInto"))!["mergedInto"]);
        var live = await client.QueryAsync("{ companies { nodes { id } } }");
        var ids = live["companies"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).Order();
        Assert.Equal(new[] { w.Master, w.Child }.Order(), ids);

        // Audit: each write names the merge; the master's trail has the merge itself.
        var cause = "merge:" + merged["mergeId"]!.GetValue<string>();
        var moved = (await client.QueryAsync("query($id: ID!) { auditTrail(id: $id) { operation cause changes { field old new } } }", new { id = w.P1 }))["auditTrail"]![0]!;
        Assert.Equal(("update", cause, "employer"), (moved["operation"]!.GetValue<string>(), moved["cause"]!.GetValue<string>(), moved["changes"]![0]!["field"]!.GetValue<string>()));
        var masterTrail = (await client.QueryAsync("query($id: ID!) { auditTrail(id: $id) { operation cause changes { field new } } }", new { id = w.Master }))["auditTrail"]!.AsArray();
        var merge = masterTrail.Single(e => e!["operation"]!.GetValue<string>() == "merge")!;
        Assert.Equal(cause, merge["cause"]!.GetValue<string>());
        Assert.Equal("mergedRecords", merge["changes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(2, merge["changes"]![0]!["new"]!.AsArray().Count);
        Assert.Contains(masterTrail, e => e!["operation"]!.GetValue<string>() == "update" && e["cause"]?.GetValue<string>() == cause);
        var deleted = (await client.QueryAsync("query($id: ID!) { auditTrail(id: $id) { operation cause } }", new { id = w.Second }))["auditTrail"]![0]!;
        Assert.Equal(("delete", cause), (deleted["operation"]!.GetValue<string>(), deleted["cause"]!.GetValue<string>()));

        // The outbox has the changes: the changes feed hands out the people moved. On PostgreSQL a
        // change waits while any older transaction on the server is open (other tests' too).
        var until = DateTime.UtcNow.AddSeconds(15);
        JsonArray changed;
        while (true)
        {
            var changes = await client.QueryAsync("query($since: String!) { personChanges(since: $since, first: 100) { items { id person { employerId } } } }", new { since = cursor });
            changed = changes["personChanges"]!["items"]!.AsArray();
            if (new[] { w.P1, w.P2 }.All(p => changed.Any(i => i!["id"]!.GetValue<string>() == p)) || DateTime.UtcNow > until)
            {
                break;
            }

            await Task.Delay(50);
        }

        // The setup's own people may come again too: on PostgreSQL the first sync's cursor can precede their creation.
        Assert.Subset(changed.Select(i => i!["id"]!.GetValue<string>()).ToHashSet(), new HashSet<string> { w.P1, w.P2 });
        Assert.All(changed, i => Assert.Equal(w.Master, i!["person"]!["employerId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Undo_restores_the_duplicates_the_links_and_the_masters_values_but_leaves_what_changed_since_and_reports_it()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var w = await MakeAsync(client);
        var crm = w.Crm;
        var mergeId = (await crm.MergeAsync(MergeAll(w)))["mergeId"]!.GetValue<string>();
        // After the merge someone moves one person elsewhere and edits the master's city.
        var elsewhere = await crm.CreateAsync("company", new { name = "别的公司" });
        await crm.UpdateAsync("person", w.P2, new { employerId = elsewhere });
        await crm.UpdateAsync("company", w.Master, new { city = "广州" });

        var undone = await crm.UndoAsync(mergeId);

        Assert.Null(Code(undone));
        Assert.Equal(new[] { w.Second, w.Third }.Order(), undone["restored"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order());
        // The master takes back the values the merge gave it, except the city, changed since.
        Assert.Equal(("星辰科技", null, "广州"), (undone["master"]!["name"]!.GetValue<string>(), undone["master"]!["email"]?.GetValue<string>(), undone["master"]!["city"]!.GetValue<string>()));
        var conflicts = undone["conflicts"]!.AsArray().Select(c => $"{c!["entity"]}:{c["recordId"]}:{c["field"]}").Order();
        Assert.Equal(new[] { $"company:{w.Master}:city", $"person:{w.P2}:employer" }.Order(), conflicts);

        Assert.Equal(w.Second, await PointsAtAsync(crm, "person", w.P1, "employer"));
        Assert.Equal(elsewhere, await PointsAtAsync(crm, "person", w.P2, "employer"));
        Assert.Equal(w.Master, await PointsAtAsync(crm, "person", w.P3, "employer"));
        Assert.Equal(w.Second, await PointsAtAsync(crm, "deal", w.Deal, "supplier"));
        Assert.Equal(w.Third, await PointsAtAsync(crm, "company", w.Child, "parent"));
        foreach (var duplicate in new[] { w.Second, w.Third })
        {
            var back = (await crm.ReadAsync("company", duplicate, "deletedAt mergedInto"))!;
            Assert.Null(back["deletedAt"]);
            Assert.Null(back["mergedInto"]);
        }

        Assert.Equal("info@xingchen.cn", (await crm.ReadAsync("company", w.Second, "email"))!["email"]!.GetValue<string>());
        var moveBack = (await client.QueryAsync("query($id: ID!) { auditTrail(id: $id) { cause } }", new { id = w.P1 }))["auditTrail"]![0]!;
        Assert.Equal("undo-merge:" + mergeId, moveBack["cause"]!.GetValue<string>());

        var again = await crm.UndoAsync(mergeId);
        Assert.Equal("MERGE_ALREADY_UNDONE", Code(again));
        Assert.Null((await crm.ReadAsync("company", w.Second, "deletedAt"))!["deletedAt"]);
    }

    [Theory]
    [InlineData("too many", "TOO_MANY_DUPLICATES")]
    [InlineData("none", "TOO_MANY_DUPLICATES")]
    [InlineData("itself", "MERGE_SAME_RECORD")]
    [InlineData("twice", "MERGE_SAME_RECORD")]
    [InlineData("stale master", "VERSION_CONFLICT")]
    [InlineData("stale duplicate", "VERSION_CONFLICT")]
    [InlineData("unknown field", "UNKNOWN_FIELD")]
    [InlineData("foreign source", "INVALID_INPUT")]
    [InlineData("made-up duplicate", "NOT_FOUND")]
    [InlineData("taken e-mail", "UNIQUE_VIOLATION")]
    public async Task A_refused_merge_answers_a_typed_error_and_changes_nothing(string why, string code)
    {
        using var client = await fixture.Host.NewTenantAsync();
        var w = await MakeAsync(client);
        var crm = w.Crm;
        var other = await crm.CreateAsync("company", new { name = "其他", email = "other@example.cn" });
        var extra = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => crm.CreateAsync("company", new { name = "重复" + i })));
        object Dup(string id, int? version = null) => new { id, version };
        var (duplicates, fields, masterVersion) = why switch
        {
            "too many" => (new[] { Dup(w.Second), Dup(w.Third), Dup(extra[0]), Dup(extra[1]) }, Array.Empty<object>(), (int?)null),
            "none" => (Array.Empty<object>(), [], null),
            "itself" => ([Dup(w.Master)], [], null),
            "twice" => ([Dup(w.Second), Dup(w.Second)], [], null),
            "stale master" => ([Dup(w.Second)], [], 7),
            "stale duplicate" => ([Dup(w.Second, 3)], [], null),
            "unknown field" => ([Dup(w.Second)], [new { field = "colour", from = w.Second }], null),
            "foreign source" => ([Dup(w.Second)], [new { field = "name", from = other }], null),
            "made-up duplicate" => ([Dup(GlobalId.Encode("company", Guid.CreateVersion7()))], [], null),
            "taken e-mail" => ([Dup(w.Second)], [new { field = "email", value = "other@example.cn" }], null),
            _ => throw new ArgumentOutOfRangeException(nameof(why)),
        };

        var refused = await crm.MergeAsync(new { entity = "company", masterId = w.Master, masterVersion, duplicates, fields });

        Assert.Equal(code, Code(refused));
        Assert.Null(refused["mergeId"]);
        Assert.Equal(w.Second, await PointsAtAsync(crm, "person", w.P1, "employer"));
        Assert.Null((await crm.ReadAsync("company", w.Second, "deletedAt"))!["deletedAt"]);
        var master = (await crm.ReadAsync("company", w.Master, "name version"))!;
        Assert.Equal(("星辰科技", 1), (master["name"]!.GetValue<string>(), master["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task An_undo_of_a_merge_that_never_was_is_not_found()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineAsync(client);
        var crm = new MergeFixtures(client);

        Assert.Equal("NOT_FOUND", Code(await crm.UndoAsync(Guid.CreateVersion7().ToString())));
        Assert.Equal("INVALID_ID", Code(await crm.UndoAsync("not-a-merge")));
    }
}
