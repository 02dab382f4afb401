using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Subscriptions;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Subscriptions;

/// <summary>
/// A subscription connection lives only as long as its credential: revoking the key, deactivating
/// its user or deleting the tenant closes the open connections at once with 4403, not at the next
/// reconnect; other credentials' connections stay.
/// </summary>
[Collection(HostGroup.Name)]
public sealed class RevokedCredentialTests(HostFixture fixture)
{
    private const string CreateUser = "mutation($email: String!) { createUser(email: $email, displayName: \"Leaver\", roles: [\"user\"]) { user { id } userErrors { code message } } }";

    [Theory]
    [InlineData("key revoked")]
    [InlineData("user deactivated")]
    [InlineData("tenant deleted")]
    public async Task An_open_connection_is_closed_with_4403_once_its_credential_stops_holding(string how)
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var userId = (await admin.MutateAsync(CreateUser, new { email = "leaver@example.com" }))["user"]!["id"]!.GetValue<string>();
        var issued = await admin.MutateAsync("mutation($u: ID!) { createApiKey(name: \"own\", roles: [\"user\"], userId: $u) { key apiKey { id } userErrors { code } } }", new { u = userId });
        using var leaver = fixture.Host.Client(admin.TenantId, issued["key"]!.GetValue<string>());
        await using var connection = await TransportWsClient.InitializedAsync(fixture.Host, leaver);
        await connection.SubscribeAsync("n", "subscription { notificationReceived { message } }");
        await using var bystander = await TransportWsClient.InitializedAsync(fixture.Host, admin);
        await WaitForConnectionsAsync(admin.TenantId, 2);

        switch (how)
        {
            case "key revoked":
                await admin.MutateAsync("mutation($id: String!) { revokeApiKey(id: $id) { apiKey { id } userErrors { code } } }", new { id = issued["apiKey"]!["id"]!.GetValue<string>() });
                break;
            case "user deactivated":
                await admin.MutateAsync("mutation($u: ID!) { updateUser(id: $u, active: false) { user { id } userErrors { code } } }", new { u = userId });
                break;
            case "tenant deleted":
                await fixture.Host.Service<TenantCatalog>().DeleteTenantAsync(admin.TenantId, CancellationToken.None);
                break;
        }

        Assert.Equal(4403, await connection.ClosedAsync());
        if (how != "tenant deleted")
        {
            await bystander.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await bystander.ReceiveAsync())!["type"]!.GetValue<string>());
        }
    }

    private Task WaitForConnectionsAsync(string tenantId, int atLeast) =>
        TransportWsClient.UntilAsync(() => fixture.Host.Service<OpenConnections>().Count(tenantId) >= atLeast);
}
