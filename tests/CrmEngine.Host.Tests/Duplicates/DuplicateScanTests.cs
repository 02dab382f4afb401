using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Duplicates.DuplicateQueries;

namespace CrmEngine.Host.Tests.Duplicates;

/// <summary>Duplicate scans: background jobs with progress that group the records sharing a match key into sets, which can be dismissed.</summary>
[Collection(HostGroup.Name)]
public sealed class DuplicateScanTests(HostFixture fixture)
{
    private const string Job = "query($id: ID!) { duplicateJob(id: $id) { status recordsTotal recordsRead setsFound findsSets errorCode } }";
    private const string Sets = "query($rule: ID!, $status: DuplicateSetStatus) { duplicateSets(ruleId: $rule, status: $status) { id size recordIds status } }";

    [Fact]
    public async Task A_scan_groups_the_records_sharing_a_key_into_sets_and_a_dismissed_set_is_not_proposed_again()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);
        // Written before the rule: the rule's key-building job must key them.
        var hangzhou = new[]
        {
            await CompanyAsync(client, new { name = "杭州示例网络科技有限公司" }),
            await CompanyAsync(client, new { name = "杭州示例网络科技" }),
        };
        var acme = new[]
        {
            await CompanyAsync(client, new { name = "Acme Co., Ltd." }),
            await CompanyAsync(client, new { name = "ACME Inc" }),
        };
        await CompanyAsync(client, new { name = "Globex" });
        var rule = await RuleAsync(client, "Same company", "company", "WARN", "WARN", ("name", "COMPANY_NAME"));
        // Written after: its key comes with the write (acknowledged, so it goes in).
        acme = [.. acme, await CompanyAsync(client, new { name = "Acme GmbH" }, allowDuplicates: true)];

        var job = await ScanAsync(client, rule);
        var sets = (await client.QueryAsync(Sets, new { rule }))["duplicateSets"]!.AsArray();

        Assert.Equal("COMPLETED", S(job["status"]));
        Assert.True(job["findsSets"]!.GetValue<bool>());
        Assert.Equal(6, job["recordsTotal"]!.GetValue<long>());
        Assert.Equal(6, job["recordsRead"]!.GetValue<long>());
        Assert.Equal(2, job["setsFound"]!.GetValue<int>());
        Assert.Equal(
            [acme.Order(StringComparer.Ordinal).ToList(), hangzhou.Order(StringComparer.Ordinal).ToList()],
            sets.Select(s => Ids(s!["recordIds"]).Order(StringComparer.Ordinal).ToList()).OrderBy(s => s.Count).Reverse().ToList());

        var hangzhouSet = sets.Single(s => s!["size"]!.GetValue<int>() == 2)!;
        var dismissed = await client.MutateAsync("mutation($id: ID!) { dismissDuplicateSet(id: $id) { duplicateSet { status } userErrors { code } } }", new { id = S(hangzhouSet["id"]) });
        var again = await ScanAsync(client, rule);
        var open = (await client.QueryAsync(Sets, new { rule }))["duplicateSets"]!.AsArray();
        var dismissedSets = (await client.QueryAsync(Sets, new { rule, status = "DISMISSED" }))["duplicateSets"]!.AsArray();

        Assert.Equal("DISMISSED", S(dismissed["duplicateSet"]!["status"]));
        Assert.Equal(1, again["setsFound"]!.GetValue<int>());
        Assert.Equal(acme.Order(StringComparer.Ordinal), Ids(Assert.Single(open)!["recordIds"]).Order(StringComparer.Ordinal));
        Assert.Equal(S(hangzhouSet["id"]), S(Assert.Single(dismissedSets)!["id"]));
    }

    [Fact]
    public async Task Deleted_records_leave_the_sets_and_their_keys()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineCompaniesAsync(client);
        var rule = await RuleAsync(client, "Same name", "company", "WARN", "WARN", ("name", "EXACT"));
        var one = await CompanyAsync(client, new { name = "Initech" });
        var two = await CompanyAsync(client, new { name = "Initech" }, allowDuplicates: true);
        await client.MutateAsync("mutation($id: ID!) { deleteCompany(id: $id) { deletedId userErrors { code } } }", new { id = two });

        var job = await ScanAsync(client, rule);
        var created = await CreateAsync(client, new { name = "initech" });

        Assert.Equal(0, job["setsFound"]!.GetValue<int>());
        Assert.Equal([one], Ids(created["duplicates"]![0]!["recordIds"]));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> ScanAsync(TenantClient client, string rule)
    {
        var started = await client.MutateAsync("mutation($id: ID!) { startDuplicateScan(ruleId: $id) { job { id status } userErrors { code } } }", new { id = rule });
        var id = S(started["job"]!["id"]);
        return (await client.EventuallyAsync(Job, d => S(d["duplicateJob"]!["status"]) is "COMPLETED" or "FAILED", new { id }))["duplicateJob"]!;
    }
}
