using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// Two hosts on one PostgreSQL database run the scheduled-send job for the same due time, several
/// times each at once: the booked send goes out once, each member's message queued once, because the
/// move from scheduled to sent (which runs the send in its transaction) is made at the version read.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class ScheduledSendHostsTests : IDisposable
{
    private readonly HostsOnOneStore _hosts = new(TestStore.CreatePostgres());

    public void Dispose() => _hosts.Dispose();

    [PostgresFact]
    public async Task A_due_send_run_at_once_on_two_hosts_goes_out_once()
    {
        var settings = new Dictionary<string, string?> { ["Crm:PluginDirectory"] = Path.Combine(AppContext.BaseDirectory, "plugins"), ["Crm:JobsEnabled"] = "false" };
        var (first, second) = (_hosts.Start(settings), _hosts.Start(settings));
        using var client = await first.NewTenantAsync();
        foreach (var plugin in new[] { "sales", "marketing" })
        {
            await client.MutateAsync("mutation($id: String!) { enablePlugin(id: $id) { userErrors { field code message } } }", new { id = plugin });
        }

        var campaign = Id(await client.MutateAsync("mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id } userErrors { field code message } } }",
            new { i = new { name = "两台主机的定时邮件", type = "email", emailSubject = "{{name}}，您好", emailBody = "<p>本月新品</p>" } }), "campaign");
        const int people = 12;
        var contacts = new List<string>();
        for (var i = 0; i < people; i++)
        {
            contacts.Add(Id(await client.MutateAsync("mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } userErrors { field code message } } }",
                new { i = new { name = $"并发联系人{i:00}", email = $"p{i:00}@bingfa.cn" } }), "contact"));
        }

        await client.MutateAsync("mutation($c: ID!, $ids: [ID!]) { addCampaignMembers(campaignId: $c, contactIds: $ids) { userErrors { field code message } } }", new { c = campaign, ids = contacts });
        await client.MutateAsync("mutation($id: ID!) { updateCampaign(id: $id, input: {status: \"active\"}) { userErrors { field code message } } }", new { id = campaign });
        var at = DateTime.UtcNow.AddHours(1);
        var send = Id(await client.MutateAsync("mutation($i: CreateScheduledSendInput!) { createScheduledSend(input: $i) { scheduledSend { id } userErrors { field code message } } }",
            new { i = new { campaignId = campaign, sendAt = at } }), "scheduledSend");

        await JobsOnSeveralHosts.RunTogetherAsync([first, second], client.TenantId, "marketing", "scheduled-send", at.AddMinutes(1));

        using var onSecond = second.Client(client.TenantId, client.Key);
        var ran = (await onSecond.QueryAsync("query($id: ID!) { scheduledSend(id: $id) { status sentCount skippedCount } }", new { id = send }))["scheduledSend"]!;
        Assert.Equal(("sent", people, 0), (ran["status"]!.GetValue<string>(), ran["sentCount"]!.GetValue<int>(), ran["skippedCount"]!.GetValue<int>()));
        Assert.Equal(people, (await onSecond.QueryAsync("{ campaignMembers(filter: {memberStatus: {eq: \"sent\"}}) { totalCount } }"))["campaignMembers"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(people, (await onSecond.QueryAsync("{ messages(first: 200) { id } }"))["messages"]!.AsArray().Count);
    }

    private static string Id(JsonNode payload, string field) => payload[field]!["id"]!.GetValue<string>();
}
