using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;
using static CrmEngine.Host.Tests.Webhooks.WebhookQueries;

namespace CrmEngine.Host.Tests.Webhooks;

/// <summary>
/// A host that may call webhooks on loopback (where the tests' receivers listen), retrying fast: three
/// attempts a delivery, endpoints disabled after six failures in a row.
/// </summary>
public sealed class WebhookHostFixture() : SharedHostFixture(Settings)
{
    public static Dictionary<string, string?> Settings => new()
    {
        ["Crm:Webhooks:AllowLoopback"] = "true",
        ["Crm:Webhooks:FirstRetryDelay"] = "00:00:00.050",
        ["Crm:Webhooks:MaxRetryDelay"] = "00:00:00.200",
        ["Crm:Webhooks:MaxAttempts"] = "3",
        ["Crm:Webhooks:DisableAfterFailures"] = "6",
        ["Crm:Webhooks:PollInterval"] = "00:00:00.100",
    };
}

/// <summary>Webhooks over real HTTP, to a real receiver: signatures, retries, dead letters, automatic disabling, redelivery, filters, redirects.</summary>
public sealed class WebhookDeliveryTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    [Fact]
    public async Task A_change_is_delivered_signed_with_the_secret_shown_once_and_after_rotation_with_the_new_secret_only()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, secret) = await CreateAsync(client, new { url = receiver.Url(), entity = "project", events = new[] { "CREATE", "UPDATE" } });
        var account = S((await client.MutateAsync("mutation { createAccount(input: { name: \"华东客户\" }) { account { id } userErrors { code } } }"))["account"]!["id"]);

        var project = await client.MutateAsync($"mutation {{ createProject(input: {{ title: \"官网改版\", budget: {{ amount: 1200.5 }}, accountId: \"{account}\" }}) {{ project {{ id }} userErrors {{ code }} }} }}");
        var created = (await receiver.WaitForAsync(1)).Single();
        var delivery = (await DeliveriesAsync(client, webhook, d => d.Count == 1 && S(d[0]!["status"]) == "DELIVERED")).Single()!;

        Assert.True(SignatureVerifies(secret, created));
        Assert.Equal((S(delivery["idempotencyKey"]), "project.create"), (created.Header("Idempotency-Key"), created.Header("X-Crm-Event")));
        var body = JsonNode.Parse(created.Body)!;
        var id = S(project["project"]!["id"]);
        Assert.Equal(("create", "project", id), (S(body["event"]), S(body["entity"]), S(body["id"])));
        Assert.Equal(("官网改版", 1200.5m, "CNY", account), (S(body["data"]!["title"]), body["data"]!["budget"]!["amount"]!.GetValue<decimal>(), S(body["data"]!["budget"]!["currency"]), S(body["data"]!["accountId"])));

        // The secret is never read back, and a rotated one replaces the old one at once.
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", (await client.PostAsync("{ webhooks { secret } }")).FirstErrorCode);
        var rotated = S((await client.MutateAsync($"mutation {{ rotateWebhookSecret(id: \"{webhook}\") {{ secret userErrors {{ code }} }} }}"))["secret"]);
        await client.MutateAsync($"mutation {{ updateProject(id: \"{id}\", input: {{ title: \"官网改版二期\" }}) {{ project {{ id }} userErrors {{ code }} }} }}");
        var updated = (await receiver.WaitForAsync(2))[1];

        Assert.NotEqual(secret, rotated);
        Assert.Equal("update", S(JsonNode.Parse(updated.Body)!["event"]));
        Assert.True(SignatureVerifies(rotated, updated));
        Assert.False(SignatureVerifies(secret, updated));
    }

    [Fact]
    public async Task A_receiver_answering_500_is_tried_again_with_the_same_idempotency_key_until_it_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerWith(500, 503);
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, secret) = await CreateAsync(client, new { url = receiver.Url(), entity = "project", events = new[] { "CREATE" } });

        await client.MutateAsync("mutation { createProject(input: { title: \"重试\" }) { project { id } userErrors { code } } }");
        var delivery = (await DeliveriesAsync(client, webhook, d => d.Count == 1 && S(d[0]!["status"]) == "DELIVERED")).Single()!;

        var received = receiver.Received;
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.Equal(S(delivery["idempotencyKey"]), r.Header("Idempotency-Key")));
        Assert.All(received, r => Assert.True(SignatureVerifies(secret, r)));
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.Equal((3, 200), (delivery["attempts"]!.GetValue<int>(), delivery["lastStatusCode"]!.GetValue<int>()));
        Assert.Null(delivery["nextAttemptAt"]);
    }

    [Fact]
    public async Task A_delivery_failing_every_attempt_is_dead_lettered_and_redelivered_by_hand_with_the_same_key_and_body()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailEverything = true;
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, _) = await CreateAsync(client, new { url = receiver.Url(), entity = "project", events = new[] { "CREATE" } });

        await client.MutateAsync("mutation { createProject(input: { title: \"死信\" }) { project { id } userErrors { code } } }");
        var dead = (await DeliveriesAsync(client, webhook, d => d.Count == 1 && S(d[0]!["status"]) == "DEAD")).Single()!;

        Assert.Equal((3, 500, "HTTP 500: receiver says no"), (dead["attempts"]!.GetValue<int>(), dead["lastStatusCode"]!.GetValue<int>(), S(dead["lastError"])));
        Assert.Null(dead["nextAttemptAt"]);
        Assert.Equal(3, receiver.Received.Count);

        receiver.AnswerWith();
        var redelivered = await client.MutateAsync($"mutation {{ redeliverWebhook(deliveryId: \"{S(dead["id"])}\") {{ delivery {{ status attempts }} userErrors {{ code }} }} }}");
        var delivered = (await DeliveriesAsync(client, webhook, d => S(d[0]!["status"]) == "DELIVERED")).Single()!;

        Assert.Equal(("PENDING", 0), (S(redelivered["delivery"]!["status"]), redelivered["delivery"]!["attempts"]!.GetValue<int>()));
        Assert.Equal(1, delivered["attempts"]!.GetValue<int>());
        var received = receiver.Received;
        Assert.Equal(4, received.Count);
        Assert.Equal(received[0].Header("Idempotency-Key"), received[3].Header("Idempotency-Key"));
        Assert.Equal(received[0].Body, received[3].Body);
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_disabled_with_its_reason_and_an_admin_can_enable_it_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailEverything = true;
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, _) = await CreateAsync(client, new { url = receiver.Url(), entity = "project", events = new[] { "CREATE" } });
        var query = $"{{ webhook(id: \"{webhook}\") {{ active disabledReason disabledAt consecutiveFailures }} }}";

        await client.MutateAsync("mutation { createProject(input: { title: \"一\" }) { project { id } userErrors { code } } }");
        await client.MutateAsync("mutation { createProject(input: { title: \"二\" }) { project { id } userErrors { code } } }");
        var disabled = (await client.EventuallyAsync(query, d => !d["webhook"]!["active"]!.GetValue<bool>()))["webhook"]!;

        Assert.False(disabled["active"]!.GetValue<bool>());
        Assert.Equal(6, disabled["consecutiveFailures"]!.GetValue<int>());
        Assert.Equal("Disabled automatically after 6 failed attempts in a row; the last: HTTP 500: receiver says no", S(disabled["disabledReason"]));
        Assert.NotNull(disabled["disabledAt"]);

        receiver.AnswerWith();
        var enabled = await client.MutateAsync($"mutation {{ updateWebhook(id: \"{webhook}\", input: {{ active: true }}) {{ webhook {{ active disabledReason consecutiveFailures }} userErrors {{ code }} }} }}");
        await client.MutateAsync("mutation { createProject(input: { title: \"三\" }) { project { id } userErrors { code } } }");
        var deliveries = await DeliveriesAsync(client, webhook, d => d.Count == 3 && S(d[0]!["status"]) == "DELIVERED");

        Assert.Equal((true, 0), (enabled["webhook"]!["active"]!.GetValue<bool>(), enabled["webhook"]!["consecutiveFailures"]!.GetValue<int>()));
        Assert.Null(enabled["webhook"]!["disabledReason"]);
        Assert.Equal(["DELIVERED", "DEAD", "DEAD"], deliveries.Select(d => S(d!["status"])));
    }

    [Fact]
    public async Task Only_changes_of_the_subscribed_events_whose_record_matches_the_filter_are_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, _) = await CreateAsync(client, new { url = receiver.Url(), entity = "project", events = new[] { "CREATE", "DELETE" }, filter = new { status = new { eq = "running" } } });

        var planned = S((await client.MutateAsync("mutation { createProject(input: { title: \"计划\" }) { project { id } userErrors { code } } }"))["project"]!["id"]);
        var running = S((await client.MutateAsync("mutation { createProject(input: { title: \"进行\", status: \"running\" }) { project { id } userErrors { code } } }"))["project"]!["id"]);
        await client.MutateAsync($"mutation {{ updateProject(id: \"{running}\", input: {{ title: \"进行中\" }}) {{ project {{ id }} userErrors {{ code }} }} }}");
        await client.MutateAsync($"mutation {{ deleteProject(id: \"{planned}\") {{ userErrors {{ code }} }} }}");
        await client.MutateAsync($"mutation {{ deleteProject(id: \"{running}\") {{ userErrors {{ code }} }} }}");
        var deliveries = await DeliveriesAsync(client, webhook, d => d.Count == 2 && d.All(x => S(x!["status"]) == "DELIVERED"));

        // The after stage handles a tenant's changes in commit order: the last one queued means every earlier one was looked at.
        Assert.Equal([("DELETE", running), ("CREATE", running)], deliveries.Select(d => (S(d!["event"]), S(d["recordId"]))));
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var (webhook, _) = await CreateAsync(client, new { url = receiver.Url("/moved"), entity = "project", events = new[] { "CREATE" } });

        await client.MutateAsync("mutation { createProject(input: { title: \"跳转\" }) { project { id } userErrors { code } } }");
        var dead = (await DeliveriesAsync(client, webhook, d => d.Count == 1 && S(d[0]!["status"]) == "DEAD")).Single()!;

        Assert.Equal((302, "HTTP 302: redirects are not followed."), (dead["lastStatusCode"]!.GetValue<int>(), S(dead["lastError"])));
        Assert.All(receiver.Received, r => Assert.Equal("/moved", r.Path));
    }
}
