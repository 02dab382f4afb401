using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Duplicates.DuplicateQueries;

namespace CrmEngine.Host.Tests.Duplicates;

/// <summary>Duplicate rules checked on every create and update: warn or block, acknowledged warnings, and each matcher over HTTP.</summary>
[Collection(HostGroup.Name)]
public sealed class DuplicateRuleTests(HostFixture fixture)
{
    [Fact]
    public async Task A_blocking_rule_refuses_a_create_naming_the_rule_and_the_matching_record_even_when_acknowledged()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);
        var existing = await CompanyAsync(client, new { name = "杭州示例网络科技有限公司" });
        await RuleAsync(client, "Same company", "company", "BLOCK", "BLOCK", ("name", "COMPANY_NAME"));

        var refused = await CreateAsync(client, new { name = "杭州示例网络科技" }, allowDuplicates: true);

        Assert.Null(refused["company"]);
        Assert.Equal(["DUPLICATE_RECORD"], Codes(refused));
        Assert.Contains("Same company", S(refused["userErrors"]![0]!["message"]), StringComparison.Ordinal);
        Assert.Contains(existing, S(refused["userErrors"]![0]!["message"]), StringComparison.Ordinal);
        Assert.Equal("BLOCK", S(refused["duplicates"]![0]!["action"]));
        Assert.Equal([existing], Ids(refused["duplicates"]![0]!["recordIds"]));
        Assert.Equal(1, (await client.QueryAsync("{ companies { totalCount } }"))["companies"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_warning_rule_lets_the_create_through_reports_the_match_and_is_skipped_once_acknowledged()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);
        await RuleAsync(client, "Same name", "company", "WARN", "WARN", ("name", "EXACT"));
        var first = await CompanyAsync(client, new { name = "ABC Trading" });

        var warned = await CreateAsync(client, new { name = "  ａｂｃ   trading " });
        var acknowledged = await CreateAsync(client, new { name = "abc trading" }, allowDuplicates: true);

        Assert.Empty(Codes(warned));
        Assert.NotNull(warned["company"]);
        Assert.Equal("Same name", S(warned["duplicates"]![0]!["rule"]));
        Assert.Equal("WARN", S(warned["duplicates"]![0]!["action"]));
        Assert.Equal([first], Ids(warned["duplicates"]![0]!["recordIds"]));
        Assert.False(warned["duplicates"]![0]!["hiddenMatches"]!.GetValue<bool>());
        Assert.NotNull(acknowledged["company"]);
        Assert.Empty(acknowledged["duplicates"]!.AsArray());
        Assert.Equal(3, (await client.QueryAsync("{ companies { totalCount } }"))["companies"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Updates_are_checked_with_the_rules_update_action_when_they_change_a_compared_field()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);
        await RuleAsync(client, "Same e-mail", "company", "WARN", "BLOCK", ("email", "EMAIL"));
        var li = await CompanyAsync(client, new { name = "Li", email = "li@example.com" });
        var wang = await CompanyAsync(client, new { name = "Wang", email = "wang@example.com" });
        await RuleAsync(client, "Same name on update", "company", "NONE", "WARN", ("name", "EXACT"));

        var blocked = (await client.QueryAsync(UpdateCompany, new { id = wang, input = new { email = "LI@Example.com" } }))["updateCompany"]!;
        var unrelated = (await client.QueryAsync(UpdateCompany, new { id = wang, input = new { phone = "138-0013-8000" } }))["updateCompany"]!;
        var warned = (await client.QueryAsync(UpdateCompany, new { id = wang, input = new { name = "Li" } }))["updateCompany"]!;
        var createdAlike = await CreateAsync(client, new { name = "Li" });

        Assert.Equal(["DUPLICATE_RECORD"], Codes(blocked));
        Assert.Equal([li], Ids(blocked["duplicates"]![0]!["recordIds"]));
        Assert.Empty(Codes(unrelated));
        Assert.Empty(unrelated["duplicates"]!.AsArray());
        Assert.Equal("Li", S(warned["company"]!["name"]));
        Assert.Equal("WARN", S(warned["duplicates"]![0]!["action"]));
        Assert.Empty(createdAlike["duplicates"]!.AsArray());
        Assert.Equal("wang@example.com", S((await client.QueryAsync("query($id: ID!) { company(id: $id) { email } }", new { id = wang }))["company"]!["email"]));
    }

    [Fact]
    public async Task Phone_numbers_e_mail_domains_and_dates_match_through_bulk_mutations_and_free_mail_never_does()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);
        await RuleAsync(client, "Same phone", "company", "BLOCK", "BLOCK", ("phone", "PHONE"));
        await RuleAsync(client, "Same domain", "company", "WARN", "WARN", ("email", "EMAIL_DOMAIN"));
        await RuleAsync(client, "Same site and founding", "company", "WARN", "WARN", ("website", "EMAIL_DOMAIN"), ("founded", "EXACT"));

        var payload = (await client.QueryAsync("""
            mutation($inputs: [CreateCompanyInput!]!) {
              createManyCompanies(inputs: $inputs) { results { index company { id } duplicates { rule action recordIds } userErrors { code } } }
            }
            """, new
        {
            inputs = new object[]
            {
                new { name = "A", phone = "+86 138 0013 8000", email = "a@gmail.com", website = "https://www.acme.cn", founded = "2001-02-03" },
                new { name = "B", phone = "138-0013-8000" },
                new { name = "C", email = "c@gmail.com", website = "http://acme.cn/about", founded = "2001-02-03" },
                new { name = "D", email = "d@acme.cn", website = "http://acme.cn", founded = "1999-01-01" },
                new { name = "E", email = "e@ACME.cn" },
            },
        }))["createManyCompanies"]!["results"]!.AsArray();

        var first = S(payload[0]!["company"]!["id"]);
        Assert.Equal(["DUPLICATE_RECORD"], payload[1]!["userErrors"]!.AsArray().Select(e => S(e!["code"])));
        Assert.Equal("Same phone", S(payload[1]!["duplicates"]![0]!["rule"]));
        Assert.Equal(["Same site and founding"], payload[2]!["duplicates"]!.AsArray().Select(d => S(d!["rule"])));
        Assert.Equal([first], Ids(payload[2]!["duplicates"]![0]!["recordIds"]));
        Assert.Empty(payload[3]!["duplicates"]!.AsArray());
        Assert.Equal(["Same domain"], payload[4]!["duplicates"]!.AsArray().Select(d => S(d!["rule"])));
        Assert.Equal([S(payload[3]!["company"]!["id"])], Ids(payload[4]!["duplicates"]![0]!["recordIds"]));
    }

    [Fact]
    public async Task Imported_rows_are_checked_as_any_write_and_keyed_for_the_writes_after_them()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);
        await CompanyAsync(client, new { name = "Acme Co., Ltd." });
        await RuleAsync(client, "Same company", "company", "BLOCK", "BLOCK", ("name", "COMPANY_NAME"));

        var job = await Import.ImportUploads.ImportAsync(client, "company", Import.ImportUploads.Csv("name\nACME Limited\n环球贸易有限公司\n"), "companies.csv");
        var afterImport = await CreateAsync(client, new { name = "环球贸易" });

        Assert.Equal(1, Import.ImportUploads.Count(job, "rowsCreated"));
        Assert.Equal(1, Import.ImportUploads.Count(job, "rowsRefused"));
        Assert.Equal(("DUPLICATE_RECORD", 2), (S(job["errors"]![0]!["code"]), job["errors"]![0]!["row"]!.GetValue<int>()));
        Assert.Equal(["DUPLICATE_RECORD"], Codes(afterImport));
    }

    [Fact]
    public async Task A_match_outside_the_writers_scope_blocks_without_naming_the_record()
    {
        using var office = await Identity.Office.OpenAsync(fixture.Host);
        await RuleAsync(office.Admin, "Same account", "account", "BLOCK", "WARN", ("name", "COMPANY_NAME"));

        var refused = (await office.As["alice"].QueryAsync("""
            mutation { createAccount(input: { name: "ACME WEST CAROL Co., Ltd." }) { account { id } duplicates { recordIds hiddenMatches } userErrors { code message } } }
            """))["createAccount"]!;

        Assert.Null(refused["account"]);
        Assert.Equal("DUPLICATE_RECORD", S(refused["userErrors"]![0]!["code"]));
        Assert.DoesNotContain(office.Accounts["carol"], S(refused["userErrors"]![0]!["message"]), StringComparison.Ordinal);
        Assert.Empty(refused["duplicates"]![0]!["recordIds"]!.AsArray());
        Assert.True(refused["duplicates"]![0]!["hiddenMatches"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Rules_wrong_in_any_part_are_refused_with_typed_errors_and_nothing_is_saved()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);

        var payload = (await client.QueryAsync(CreateRule, new
        {
            input = new
            {
                name = "Broken",
                entity = "company",
                conditions = new object[] { new { field = "colour", matcher = "EXACT" }, new { field = "founded", matcher = "PHONE" }, new { field = "name", matcher = "COMPANY_NAME", country = "CN" } },
            },
        }))["createDuplicateRule"]!;
        var noEntity = (await client.QueryAsync(CreateRule, new { input = new { name = "X", entity = "invoice", conditions = new[] { new { field = "name", matcher = "EXACT" } } } }))["createDuplicateRule"]!;
        var noConditions = (await client.QueryAsync(CreateRule, new { input = new { name = "", entity = "company", conditions = Array.Empty<object>() } }))["createDuplicateRule"]!;

        Assert.Null(payload["duplicateRule"]);
        Assert.Equal([("conditions[0].field", "UNKNOWN_FIELD"), ("conditions[1].matcher", "FIELD_NOT_MATCHABLE"), ("conditions[2].country", "INVALID_INPUT")],
            payload["userErrors"]!.AsArray().Select(e => (S(e!["field"]), S(e["code"]))));
        Assert.Equal(["UNKNOWN_ENTITY"], Codes(noEntity));
        Assert.Equal(["REQUIRED", "REQUIRED"], Codes(noConditions));
        Assert.Empty((await client.QueryAsync("{ duplicateRules { id } }"))["duplicateRules"]!.AsArray());
    }

    [Fact]
    public async Task Duplicate_rules_and_scans_need_admin_rights()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(admin);
        var rule = await RuleAsync(admin, "Same name", "company", "WARN", "WARN", ("name", "EXACT"));
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "rep", ["user"], null, null, CancellationToken.None);
        using var rep = fixture.Host.Client(admin.TenantId, key.Key);

        var create = (await rep.QueryAsync(CreateRule, new { input = new { name = "Mine", entity = "company", conditions = new[] { new { field = "name", matcher = "EXACT" } } } }))["createDuplicateRule"]!;
        var scan = (await rep.QueryAsync("mutation($id: ID!) { startDuplicateScan(ruleId: $id) { job { id } userErrors { code } } }", new { id = rule }))["startDuplicateScan"]!;

        Assert.Equal(["FORBIDDEN"], Codes(create));
        Assert.Equal(["FORBIDDEN"], Codes(scan));
        Assert.Equal("FORBIDDEN", (await rep.PostAsync("{ duplicateRules { id } }")).FirstErrorCode);
        Assert.Equal("FORBIDDEN", (await rep.PostAsync("query($id: ID!) { duplicateSets(ruleId: $id) { id } }", new { id = rule })).FirstErrorCode);
        Assert.Single((await admin.QueryAsync("{ duplicateRules { id } }"))["duplicateRules"]!.AsArray());
    }
}
