using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Rules.Api;
using static CrmEngine.Host.Tests.Changes.ChangesFeed;
using static CrmEngine.Host.Tests.Rules.RuleQueries;

namespace CrmEngine.Host.Tests.Subscriptions;

/// <summary>
/// <c>notificationReceived</c> over a real WebSocket: each user receives the notifications sent to
/// them (crm.notify here; plugins' INotifier writes the same way), nobody else's, and only those whose
/// write committed.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class NotificationSubscriptionTests(HostFixture fixture)
{
    private const string NotificationReceived = "subscription { notificationReceived { id message rule recordId at } }";

    [Fact]
    public async Task A_user_receives_only_their_own_notifications_and_only_from_writes_that_committed()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var ruleId = await SaveAsync(office.Admin, new
        {
            name = "tell-owner",
            entity = "account",
            triggers = new[] { "BEFORE_UPDATE" },
            script = "crm.notify(record.ownerId, 'renamed to ' + record.name); if (record.name.indexOf('refuse') >= 0) { crm.reject('refused'); }",
        });
        await using var alice = await TransportWsClient.InitializedAsync(fixture.Host, office.As["alice"]);
        await using var bob = await TransportWsClient.InitializedAsync(fixture.Host, office.As["bob"]);
        await alice.SubscribeAsync("n", NotificationReceived);
        await bob.SubscribeAsync("n", NotificationReceived);
        await WaitForSubscribersAsync(office.Admin.TenantId, 2);

        // A refused write and a dry run both sent alice a notification that was never committed.
        var refused = await office.Admin.QueryAsync("mutation($id: ID!) { updateAccount(id: $id, input: { name: \"please refuse\" }) { userErrors { code } } }", new { id = office.Accounts["alice"] });
        Assert.Equal("REJECTED", refused["updateAccount"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        var dryRun = await office.Admin.MutateAsync("mutation($input: TestRuleInput!) { testRule(input: $input) { result { outcome } userErrors { code } } }",
            new { input = new { ruleId, recordId = office.Accounts["alice"], changes = new { name = "dry run" } } });
        Assert.Equal("SUCCEEDED", dryRun["result"]!["outcome"]!.GetValue<string>());

        await UpdateAsync(office.Admin, office.Accounts["bob"], new { name = "Bob's renamed" });
        await UpdateAsync(office.Admin, office.Accounts["alice"], new { name = "Alice's renamed" });

        var own = (await alice.NextAsync("n"))["notificationReceived"]!;
        Assert.Equal("renamed to Alice's renamed", own["message"]!.GetValue<string>());
        Assert.Equal("tell-owner", own["rule"]!.GetValue<string>());
        Assert.Equal(office.Accounts["alice"], own["recordId"]!.GetValue<string>());
        Assert.Equal("renamed to Bob's renamed", (await bob.NextAsync("n"))["notificationReceived"]!["message"]!.GetValue<string>());

        // Alice's notification went to alice only: bob's next message is his next notification.
        await UpdateAsync(office.Admin, office.Accounts["bob"], new { name = "Bob's again" });
        Assert.Equal("renamed to Bob's again", (await bob.NextAsync("n"))["notificationReceived"]!["message"]!.GetValue<string>());

        // What the subscription delivered is what the notifications query lists.
        var listed = (await office.As["alice"].QueryAsync("{ notifications { id message } }"))["notifications"]!.AsArray();
        Assert.Equal(own["id"]!.GetValue<string>(), Assert.Single(listed)!["id"]!.GetValue<string>());
    }

    private Task WaitForSubscribersAsync(string tenantId, int atLeast) =>
        TransportWsClient.UntilAsync(() => fixture.Host.Service<NotificationHub>().Count(tenantId) >= atLeast);
}
