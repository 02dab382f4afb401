using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Merging.MergeFixtures;

namespace CrmEngine.Host.Tests.Merging;

/// <summary>
/// Who may merge: update rights on the master and delete rights on the duplicates, within the
/// caller's scope; a record outside it answers as a made-up id. Related records move whoever may change them.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class MergeRightsTests(HostFixture fixture)
{
    private const string Merge = "mergeRecords(input: { entity: \"account\", masterId: $master, duplicates: [{ id: $duplicate }] }) { mergeId userErrors { field code message } }";

    private static async Task<string> SecondAccountAsync(Office office, string owner)
    {
        var created = await office.As[owner].MutateAsync("mutation { createAccount(input: { name: \"Second\" }) { account { id } userErrors { code } } }");
        return created["account"]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Merging_someone_elses_record_answers_exactly_as_a_made_up_id()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var own = await SecondAccountAsync(office, "alice");
        var carols = office.Accounts["carol"];

        // Carol's account as a duplicate, then as the master, of alice's own.
        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(office.As["alice"],
            $"mutation($id: ID!) {{ result: {Merge.Replace("$master", $"\"{own}\"", StringComparison.Ordinal).Replace("$duplicate", "$id", StringComparison.Ordinal)} }}", carols);
        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(office.As["alice"],
            $"mutation($id: ID!) {{ result: {Merge.Replace("$master", "$id", StringComparison.Ordinal).Replace("$duplicate", $"\"{own}\"", StringComparison.Ordinal)} }}", carols);

        var untouched = (await office.Admin.QueryAsync("query($id: ID!) { account(id: $id) { version } }", new { id = carols }))["account"]!;
        Assert.Equal(1, untouched["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_caller_who_may_read_the_records_but_not_change_them_is_forbidden_logged_and_nothing_changes()
    {
        using var office = await Office.OpenAsync(fixture.Host);

        var refused = (await office.As["dave"].QueryAsync($"mutation($master: ID!, $duplicate: ID!) {{ mergeRecords: {Merge} }}",
            new { master = office.Accounts["alice"], duplicate = office.Accounts["bob"] }))["mergeRecords"]!;

        Assert.Equal("FORBIDDEN", Code(refused));
        var bobs = (await office.Admin.QueryAsync("query($id: ID!) { account(id: $id) { deletedAt } }", new { id = office.Accounts["bob"] }))["account"]!;
        Assert.Null(bobs["deletedAt"]);
        var log = await office.Admin.QueryAsync("{ securityLog(event: \"access_denied\") { detail } }");
        Assert.Contains(log["securityLog"]!.AsArray(), e => e!["detail"]!.GetValue<string>().StartsWith("mergeRecords:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rep_merging_her_own_records_moves_related_records_she_may_not_change_in_her_name()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var second = await SecondAccountAsync(office, "alice");

        // Carol's contact points at alice's first account, which alice merges into her second.
        var merged = (await office.As["alice"].QueryAsync($"mutation($master: ID!, $duplicate: ID!) {{ mergeRecords: {Merge} }}",
            new { master = second, duplicate = office.Accounts["alice"] }))["mergeRecords"]!;

        Assert.Null(Code(merged));
        var contact = (await office.Admin.QueryAsync("query($id: ID!) { contact(id: $id) { accountId history(first: 1) { actor cause } } }", new { id = office.Contacts["carol"] }))["contact"]!;
        Assert.Equal(second, contact["accountId"]!.GetValue<string>());
        Assert.Equal(office.UserIds["alice"], contact["history"]![0]!["actor"]!.GetValue<string>());
        Assert.Equal("merge:" + merged["mergeId"]!.GetValue<string>(), contact["history"]![0]!["cause"]!.GetValue<string>());
    }
}
