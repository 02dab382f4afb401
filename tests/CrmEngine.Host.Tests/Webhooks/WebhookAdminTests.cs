using CrmEngine.Engine.Tenancy;
using static CrmEngine.Host.Tests.Support.Schemas;
using static CrmEngine.Host.Tests.Webhooks.WebhookQueries;

namespace CrmEngine.Host.Tests.Webhooks;

/// <summary>Managing webhooks through GraphQL: what is checked when one is saved, and who may.</summary>
public sealed class WebhookAdminTests(StrictWebhookHostFixture fixture) : IClassFixture<StrictWebhookHostFixture>
{
    [Fact]
    public async Task A_webhook_wrong_in_several_parts_is_refused_with_every_error_and_nothing_is_saved()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);

        var unknownEntity = (await client.QueryAsync(Create, new { input = new { url = "http://93.184.216.34/hook", entity = "invoice", events = Array.Empty<string>() } }))["createWebhook"]!;
        var badFilter = (await client.QueryAsync(Create, new { input = new { url = "http://93.184.216.34/hook", entity = "project", events = new[] { "CREATE" }, filter = new { colour = new { eq = "red" } } } }))["createWebhook"]!;

        Assert.Equal([("url", "WEBHOOK_TARGET_REFUSED"), ("entity", "UNKNOWN_ENTITY"), ("events", "REQUIRED")],
            (await client.QueryAsync(Create, new { input = new { url = "http://10.0.0.1/hook", entity = "invoice", events = Array.Empty<string>() } }))["createWebhook"]!["userErrors"]!.AsArray().Select(e => (S(e!["field"]), S(e["code"]))));
        Assert.Equal([("entity", "UNKNOWN_ENTITY"), ("events", "REQUIRED")], unknownEntity["userErrors"]!.AsArray().Select(e => (S(e!["field"]), S(e["code"]))));
        Assert.Equal([("filter", "UNKNOWN_FIELD")], badFilter["userErrors"]!.AsArray().Select(e => (S(e!["field"]), S(e["code"]))));
        Assert.Empty((await client.QueryAsync("{ webhooks { id } }"))["webhooks"]!.AsArray());
    }

    [Fact]
    public async Task Webhooks_need_admin_rights()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(admin);
        var (webhook, _) = await CreateAsync(admin, new { url = "http://93.184.216.34/hook", entity = "project", events = new[] { "CREATE" } });
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "rep", ["sales"], null, null, CancellationToken.None);
        using var rep = fixture.Host.Client(admin.TenantId, key.Key);

        var create = (await rep.QueryAsync(Create, new { input = new { url = "http://93.184.216.34/other", entity = "project", events = new[] { "CREATE" } } }))["createWebhook"]!;
        var rotate = (await rep.QueryAsync($"mutation {{ rotateWebhookSecret(id: \"{webhook}\") {{ secret userErrors {{ code }} }} }}"))["rotateWebhookSecret"]!;

        Assert.Equal("FORBIDDEN", S(create["userErrors"]![0]!["code"]));
        Assert.Equal("FORBIDDEN", S(rotate["userErrors"]![0]!["code"]));
        Assert.Null(rotate["secret"]);
        Assert.Equal("FORBIDDEN", (await rep.PostAsync("{ webhooks { id } }")).FirstErrorCode);
        Assert.Equal("FORBIDDEN", (await rep.PostAsync("{ webhookDeliveries { id } }")).FirstErrorCode);
        Assert.Single((await admin.QueryAsync("{ webhooks { id } }"))["webhooks"]!.AsArray());
    }

    [Theory]
    [InlineData("webhook")]
    [InlineData("webhookDelivery")]
    public async Task An_entity_whose_api_would_clash_with_the_webhooks_api_is_refused(string name)
    {
        using var client = await fixture.Host.NewTenantAsync();

        var payload = (await client.QueryAsync(CreateEntity, new { input = new { name, labels = Labels("Hook", "钩子"), fields = new[] { Field("title", "TEXT") } } }))["createEntity"]!;

        Assert.Null(payload["entity"]);
        Assert.Equal("RESERVED_NAME", S(payload["userErrors"]![0]!["code"]));
        Assert.Empty((await client.QueryAsync("{ webhooks { id } }"))["webhooks"]!.AsArray());
    }
}
