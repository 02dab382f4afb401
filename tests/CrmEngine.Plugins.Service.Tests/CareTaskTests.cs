using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Proactive care: a sales order that becomes delivered gives the account's owner a planned care call
/// (a sales activity of type task) the configured number of days later, once per order.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class CareTaskTests(ServiceHost host)
{
    private const string Tasks = "{ activities(filter: { type: { eq: \"task\" } }, orderBy: [{ occurredAt: ASC }]) { totalCount nodes { subject type status occurredAt ownerId account { name } contact { name } careForOrder { number } } } }";

    private const string SetDelay = "mutation($v: JSON!) { setPluginSettings(plugin: \"service\", values: [{ name: \"careTaskAfterDelivery\", value: $v }]) { settings { name } userErrors { field code message } } }";

    private static readonly DateTime Delivered = new(2026, 11, 2, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_delivered_order_plans_one_care_call_for_the_account_owner_seven_days_later_even_when_delivered_again()
    {
        using var clock = host.Clock.At(Delivered);
        var tenant = await host.TenantAsync();
        var (order, _) = await OrderAsync(tenant, "扬州润达食品有限公司");

        await DeliverAsync(tenant, order);
        var first = await TasksAsync(tenant, 1);
        await tenant.Admin.MutateAsync("mutation($id: ID!) { updateOrder(id: $id, input: { status: \"confirmed\" }) { order { id } userErrors { field code message } } }", new { id = order });
        await DeliverAsync(tenant, order);

        var (second, _) = await OrderAsync(tenant, "镇江恒顺调味品有限公司");
        await DeliverAsync(tenant, second);
        var after = await TasksAsync(tenant, 2);

        var task = first[0]!;
        Assert.Equal(("task", "planned", "2026-11-09T06:00:00Z"), (task["type"].Str(), task["status"].Str(), task["occurredAt"].Str()));
        Assert.Equal(("扬州润达食品有限公司", "钱芳"), (task["account"]!["name"].Str(), task["contact"]!["name"].Str()));
        Assert.StartsWith("Care call after delivery of order SO-2026-", task["subject"].Str(), StringComparison.Ordinal);
        Assert.Equal(2, after.Count);
        Assert.Equal(1, after.Count(t => t!["careForOrder"]!["number"].Str() == task["careForOrder"]!["number"].Str()));
    }

    [Fact]
    public async Task The_delay_is_a_setting_off_plans_nothing_an_unknown_delay_is_refused_and_a_second_task_for_an_order_is_refused()
    {
        using var clock = host.Clock.At(Delivered);
        var tenant = await host.TenantAsync();
        var owner = (await tenant.Admin.MutateAsync("mutation { createUser(email: \"qian.rep@sales.example\", displayName: \"钱销售\", roles: [\"user\"]) { user { id } userErrors { code message } } }"))["user"]!.Id();
        var (quiet, _) = await OrderAsync(tenant, "泰州安康医疗器械有限公司");
        var (cared, account) = await OrderAsync(tenant, "盐城海韵纺织有限公司", owner);

        await tenant.Admin.MutateAsync(SetDelay, new { v = "off" });
        await DeliverAsync(tenant, quiet);
        var unknown = await tenant.Admin.RefusedAsync(SetDelay, new { v = "5" });
        await tenant.Admin.MutateAsync(SetDelay, new { v = "3" });
        await DeliverAsync(tenant, cared);
        var tasks = await TasksAsync(tenant, 1);
        var twice = await tenant.Admin.RefusedAsync("mutation($i: CreateActivityInput!) { createActivity(input: $i) { activity { id } userErrors { field code message } } }", new { i = new { subject = "再次回访", type = "task", status = "planned", accountId = account, careForOrderId = cared } });

        var task = Assert.Single(tasks)!;
        Assert.Equal(("盐城海韵纺织有限公司", "2026-11-05T06:00:00Z", owner), (task["account"]!["name"].Str(), task["occurredAt"].Str(), task["ownerId"].Str()));
        Assert.Equal("careTaskAfterDelivery", unknown.Field);
        Assert.Equal("careForOrder", twice.Field);
        Assert.Equal(1, (await tenant.QueryAsync(Tasks))["activities"]!["totalCount"]!.GetValue<int>());
    }

    /// <summary>A confirmed order of a new account (owned by <paramref name="owner"/> when given) with its contact.</summary>
    private static async Task<(string Order, string Account)> OrderAsync(ServiceTenant tenant, string name, string? owner = null)
    {
        var account = (owner is null ? await tenant.CreateAsync("Account", new { name }) : await tenant.CreateAsync("Account", new { name, ownerId = owner })).Id();
        var contact = (await tenant.CreateAsync("Contact", new { name = "钱芳", accountId = account })).Id();
        return ((await tenant.CreateAsync("Order", new { accountId = account, contactId = contact })).Id(), account);
    }

    private static Task<JsonNode> DeliverAsync(ServiceTenant tenant, string order) =>
        tenant.Admin.MutateAsync("mutation($id: ID!) { updateOrder(id: $id, input: { status: \"delivered\" }) { order { status } userErrors { field code message } } }", new { id = order });

    /// <summary>The care tasks, which the delivery writes in its own transaction: there are <paramref name="count"/> at once.</summary>
    private static async Task<JsonArray> TasksAsync(ServiceTenant tenant, int count)
    {
        var tasks = (await tenant.QueryAsync(Tasks))["activities"]!;
        Assert.Equal(count, tasks["totalCount"]!.GetValue<int>());
        return tasks["nodes"]!.AsArray();
    }
}
