using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Rules.RuleQueries;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Rules;

/// <summary>Rules through GraphQL over real HTTP: administration, their effect on writes, dry runs, manual runs and the run log.</summary>
[Collection(HostGroup.Name)]
public sealed class RulesApiTests(HostFixture fixture)
{
    [Fact]
    public async Task A_before_rule_that_rejects_shows_a_field_error_in_userErrors_and_nothing_is_written()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "budgetNeedsStart", entity = "project", triggers = new[] { "BEFORE_CREATE", "BEFORE_UPDATE" },
            script = "if (record.budget && record.budget.amount > 1000000 && !record.startsOn) crm.reject('预算超过 100 万的项目必须填写开始日期', 'startsOn');" });

        var refused = await client.QueryAsync("mutation { createProject(input: { title: \"大项目\", budget: { amount: 2000000 } }) { project { id } userErrors { field code message } } }");
        var accepted = await client.MutateAsync("mutation { createProject(input: { title: \"大项目\", budget: { amount: 2000000 }, startsOn: \"2026-01-01\" }) { project { title } userErrors { code } } }");

        var error = refused["createProject"]!["userErrors"]![0]!;
        Assert.Equal(("startsOn", "REJECTED", "预算超过 100 万的项目必须填写开始日期"), (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>()));
        Assert.Null(refused["createProject"]!["project"]);
        Assert.Equal(1, (await client.QueryAsync("{ projects { totalCount } }"))["projects"]!["totalCount"]!.GetValue<int>());
        Assert.Equal("大项目", accepted["project"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_before_rule_that_sets_a_field_has_it_persisted_and_returned()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "tidyTitle", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "record.title = record.title.trim().toUpperCase(); record.headcount = 5;" });

        var created = await client.MutateAsync("mutation { createProject(input: { title: \"  crm  \" }) { project { id title headcount } userErrors { code } } }");
        var id = created["project"]!["id"]!.GetValue<string>();

        Assert.Equal(("CRM", 5), (created["project"]!["title"]!.GetValue<string>(), created["project"]!["headcount"]!.GetValue<int>()));
        var stored = await client.QueryAsync($"{{ project(id: \"{id}\") {{ title headcount }} }}");
        Assert.Equal("CRM", stored["project"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_syntax_error_is_refused_at_save_with_line_and_column()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var payload = (await client.QueryAsync(Save, new { input = new { name = "bad", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "const a = 1;\nrecord.title = ;" } }))["saveRule"]!;

        Assert.Null(payload["rule"]);
        Assert.Equal(("script", 2, 16), (payload["syntaxError"]!["part"]!.GetValue<string>(), payload["syntaxError"]!["line"]!.GetValue<int>(), payload["syntaxError"]!["column"]!.GetValue<int>()));
        Assert.Equal(("SCRIPT_SYNTAX_ERROR", "script"), (payload["userErrors"]![0]!["code"]!.GetValue<string>(), payload["userErrors"]![0]!["field"]!.GetValue<string>()));
        Assert.Empty((await client.QueryAsync("{ rules(includeDeleted: true) { id } }"))["rules"]!.AsArray());
    }

    [Fact]
    public async Task Rules_keep_their_versions_and_can_be_disabled_enabled_restored_and_deleted()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var id = await SaveAsync(client, new { name = "stamp", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "record.headcount = 1;", description = "第一版" });
        await SaveAsync(client, new { id, name = "stamp", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "record.headcount = 2;", description = "第二版" });

        Assert.Equal(2, await HeadcountOfNewProjectAsync(client));
        await client.MutateAsync("mutation($id: ID!) { disableRule(id: $id) { rule { enabled } userErrors { code } } }", new { id });
        Assert.Null(await HeadcountOfNewProjectAsync(client));
        await client.MutateAsync("mutation($id: ID!) { enableRule(id: $id) { rule { enabled } userErrors { code } } }", new { id });
        var restored = await client.MutateAsync("mutation($id: ID!) { restoreRuleVersion(id: $id, version: 1) { rule { version description } userErrors { code } } }", new { id });
        Assert.Equal((3, "第一版"), (restored["rule"]!["version"]!.GetValue<int>(), restored["rule"]!["description"]!.GetValue<string>()));
        Assert.Equal(1, await HeadcountOfNewProjectAsync(client));

        var rule = (await client.QueryAsync("query($id: ID!) { rule(id: $id) { name version versions { version script note } runs { outcome } } }", new { id }))["rule"]!;
        Assert.Equal([3, 2, 1], rule["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal("Restored from version 1.", rule["versions"]![0]!["note"]!.GetValue<string>());
        Assert.Equal(2, rule["runs"]!.AsArray().Count);

        await client.MutateAsync("mutation($id: ID!) { deleteRule(id: $id) { rule { deletedAt } userErrors { code } } }", new { id });
        Assert.Null(await HeadcountOfNewProjectAsync(client));
        Assert.Empty((await client.QueryAsync("{ rules { id } }"))["rules"]!.AsArray());
        Assert.Single((await client.QueryAsync("{ rules(includeDeleted: true) { id } }"))["rules"]!.AsArray());
    }

    [Fact]
    public async Task A_dry_run_reports_what_the_rule_would_do_and_writes_nothing()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var project = (await client.MutateAsync("mutation { createProject(input: { title: \"P\" }) { project { id } userErrors { code } } }"))["project"]!["id"]!.GetValue<string>();
        var ruleId = await SaveAsync(client, new { name = "kickoff", entity = "project", triggers = new[] { "AFTER_UPDATE" }, condition = "changed('status') && record.status === 'running'",
            script = "record.headcount = 3; crm.create('account', { name: '客户 ' + record.title }); crm.notify(record.ownerId, '项目已启动'); crm.log('kicked off', record.code);" });

        var payload = (await client.QueryAsync("""
            mutation($input: TestRuleInput!) { testRule(input: $input) {
              result { conditionMet outcome changes { field old new } effects { kind entity values message } logs durationMs statements error { code } }
              userErrors { code message } } }
            """, new { input = new { ruleId, recordId = project, changes = new { status = "running" } } }))["testRule"]!;

        var result = payload["result"]!;
        Assert.Empty(payload["userErrors"]!.AsArray());
        Assert.Equal((true, "SUCCEEDED"), (result["conditionMet"]!.GetValue<bool>(), result["outcome"]!.GetValue<string>()));
        Assert.Equal(("headcount", 3), (result["changes"]![0]!["field"]!.GetValue<string>(), result["changes"]![0]!["new"]!.GetValue<int>()));
        Assert.Equal(["create", "notify"], result["effects"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal("客户 P", result["effects"]![0]!["values"]!["name"]!.GetValue<string>());
        Assert.Equal("kicked off PRJ-0001", result["logs"]![0]!.GetValue<string>());
        Assert.True(result["statements"]!.GetValue<long>() > 0);
        var after = await client.QueryAsync("{ accounts { totalCount } projects { nodes { headcount status } } notifications { id } ruleRuns { outcome } }");
        Assert.Equal(0, after["accounts"]!["totalCount"]!.GetValue<int>());
        Assert.Null(after["projects"]!["nodes"]![0]!["headcount"]);
        Assert.Empty(after["notifications"]!.AsArray());
        Assert.Empty(after["ruleRuns"]!.AsArray());
    }

    [Fact]
    public async Task RunRule_applies_a_rule_to_chosen_records_and_the_run_log_and_notifications_show_it()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var ids = new List<string>();
        foreach (var title in new[] { "甲", "乙", "丙" })
        {
            ids.Add((await client.MutateAsync($"mutation {{ createProject(input: {{ title: \"{title}\" }}) {{ project {{ id }} userErrors {{ code }} }} }}"))["project"]!["id"]!.GetValue<string>());
        }

        await SaveAsync(client, new { name = "activate", entity = "project", triggers = new[] { "MANUAL" }, script = "record.active = true; crm.notify(user.id, '已激活 ' + record.title);" });

        var payload = await client.MutateAsync("mutation($ids: [ID!]!) { runRule(name: \"activate\", ids: $ids) { results { recordId outcome changes { field new } } userErrors { code } } }", new { ids = ids.Take(2).ToArray() });

        Assert.Equal(["SUCCEEDED", "SUCCEEDED"], payload["results"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal(ids[0], payload["results"]![0]!["recordId"]!.GetValue<string>());
        var data = await client.QueryAsync("{ projects { nodes { title active } } notifications(unreadOnly: true) { id message rule } }");
        Assert.Equal([true, true, false], data["projects"]!["nodes"]!.AsArray().Select(n => n!["active"]?.GetValue<bool>() ?? false));
        Assert.Equal(2, data["notifications"]!.AsArray().Count);
        Assert.Equal("activate", data["notifications"]![0]!["rule"]!.GetValue<string>());
        var runs = (await client.QueryAsync(Runs, new { name = "activate" }))["ruleRuns"]!.AsArray();
        Assert.All(runs, r => Assert.Equal(("manual", "SUCCEEDED"), (r!["trigger"]!.GetValue<string>(), r["outcome"]!.GetValue<string>())));
        Assert.Contains(runs, r => r!["recordId"]!.GetValue<string>() == ids[1]);

        var read = await client.MutateAsync("mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { marked userErrors { code } } }",
            new { ids = data["notifications"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToArray() });
        Assert.Equal(2, read["marked"]!.GetValue<int>());
        Assert.Empty((await client.QueryAsync("{ notifications(unreadOnly: true) { id } }"))["notifications"]!.AsArray());
    }

    [Fact]
    public async Task An_after_rule_creates_a_follow_up_record_after_the_write_commits()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await SaveAsync(client, new { name = "welcome", entity = "project", triggers = new[] { "AFTER_CREATE" }, script = "crm.create('account', { name: '跟进 ' + record.title });" });

        await client.MutateAsync("mutation { createProject(input: { title: \"新项目\" }) { project { id } userErrors { code } } }");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonNode? accounts = null;
        while (DateTime.UtcNow < deadline)
        {
            accounts = (await client.QueryAsync("{ accounts { nodes { name } } }"))["accounts"]!["nodes"];
            if (accounts!.AsArray().Count > 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("跟进 新项目", Assert.Single(accounts!.AsArray())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rule_administration_needs_admin_rights()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(admin);
        var catalog = fixture.Host.Service<Engine.Tenancy.TenantCatalog>();
        var key = await catalog.CreateApiKeyAsync(admin.TenantId, "rep", ["sales"], null, null, CancellationToken.None);
        using var rep = fixture.Host.Client(admin.TenantId, key.Key);

        var save = (await rep.QueryAsync(Save, new { input = new { name = "x", entity = "project", triggers = new[] { "BEFORE_CREATE" }, script = "1;" } }))["saveRule"]!;
        var list = await rep.PostAsync("{ rules { id } }");

        Assert.Equal("FORBIDDEN", save["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", list.FirstErrorCode);
        Assert.Empty((await admin.QueryAsync("{ rules(includeDeleted: true) { id } }"))["rules"]!.AsArray());
        Assert.Empty((await rep.QueryAsync("{ notifications { id } }"))["notifications"]!.AsArray());
    }

    [Fact]
    public async Task The_tenants_limits_are_readable()
    {
        using var client = await fixture.Host.NewTenantAsync();

        var limits = (await client.QueryAsync("{ ruleLimits { timeoutMs maxStatements maxMemoryBytes maxRecursionDepth regexTimeoutMs maxArrayLength maxLogLines } }"))["ruleLimits"]!;

        Assert.Equal((1000, 1_000_000, 64L * 1024 * 1024, 64, 100), (limits["timeoutMs"]!.GetValue<int>(), limits["maxStatements"]!.GetValue<int>(), limits["maxMemoryBytes"]!.GetValue<long>(), limits["maxRecursionDepth"]!.GetValue<int>(), limits["regexTimeoutMs"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Bad_rule_requests_get_typed_errors_and_change_nothing()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var project = (await client.MutateAsync("mutation { createProject(input: { title: \"P\" }) { project { id } userErrors { code } } }"))["project"]!["id"]!.GetValue<string>();

        var unknownRule = await client.QueryAsync("mutation($ids: [ID!]!) { runRule(name: \"nope\", ids: $ids) { results { outcome } userErrors { field code } } }", new { ids = new[] { project } });
        var badRuleId = await client.QueryAsync("mutation { enableRule(id: \"not-an-id\") { rule { id } userErrors { field code } } }");
        var missingRule = await client.QueryAsync($"mutation {{ disableRule(id: \"{Guid.NewGuid()}\") {{ rule {{ id }} userErrors {{ field code }} }} }}");
        var badRecord = await client.QueryAsync("mutation { testRule(input: { entity: \"project\", script: \"1;\", recordId: \"nope\" }) { result { outcome } userErrors { field code } } }");
        var badValue = await client.QueryAsync("mutation($r: JSON) { testRule(input: { entity: \"project\", script: \"1;\", record: $r }) { result { outcome } userErrors { field code } } }", new { r = new { headcount = "many" } });
        var badTrigger = await client.PostAsync(Save, new { input = new { name = "x", entity = "project", triggers = new[] { "SOMETIMES" }, script = "1;" } });
        var badFilter = await client.QueryAsync(Save, new { input = new { name = "x", entity = "project", triggers = new[] { "SCHEDULE" }, schedule = "0 2 * * *", filter = new { nope = new { eq = 1 } }, script = "1;" } });

        Assert.Equal(("NOT_FOUND", "name"), Error(unknownRule["runRule"]!));
        Assert.Equal(("INVALID_ID", "id"), Error(badRuleId["enableRule"]!));
        Assert.Equal(("NOT_FOUND", "id"), Error(missingRule["disableRule"]!));
        Assert.Equal(("INVALID_ID", "recordId"), Error(badRecord["testRule"]!));
        Assert.Equal(("INVALID_VALUE", "headcount"), Error(badValue["testRule"]!));
        Assert.NotNull(badTrigger.FirstErrorCode);
        Assert.Contains("SOMETIMES", badTrigger.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("UNKNOWN_FIELD", "filter"), Error(badFilter["saveRule"]!));
        Assert.Empty((await client.QueryAsync("{ rules(includeDeleted: true) { id } }"))["rules"]!.AsArray());
        Assert.Empty((await client.QueryAsync("{ ruleRuns { id } }"))["ruleRuns"]!.AsArray());
    }

    private static (string Code, string? Field) Error(JsonNode payload)
    {
        var error = payload["userErrors"]![0]!;
        return (error["code"]!.GetValue<string>(), error["field"]?.GetValue<string>());
    }

    private static async Task<int?> HeadcountOfNewProjectAsync(TenantClient client)
    {
        var created = await client.MutateAsync("mutation { createProject(input: { title: \"P\" }) { project { headcount } userErrors { code } } }");
        return created["project"]!["headcount"]?.GetValue<int>();
    }
}
