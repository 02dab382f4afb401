using System.Net;
using CrmEngine.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.Identity;

[Collection(HostGroup.Name)]
public sealed class IdentityAdminTests(HostFixture fixture)
{
    private const string CreateUser = "mutation($email: String!, $name: String!, $roles: [String!]) { createUser(email: $email, displayName: $name, roles: $roles) { user { id email roles } userErrors { field code message } } }";

    [Fact]
    public async Task Admins_manage_users_teams_and_roles_and_every_change_is_in_the_security_log()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var li = (await admin.MutateAsync(CreateUser, new { email = "Li.Lei@Example.cn", name = "李雷", roles = new[] { "user" } }))["user"]!;
        var han = (await admin.MutateAsync(CreateUser, new { email = "han@example.cn", name = "韩梅梅" }))["user"]!;
        Assert.Equal("li.lei@example.cn", li["email"]!.GetValue<string>());

        await admin.MutateAsync("""
            mutation($input: RoleInput!) { saveRole(input: $input) { role { name } userErrors { code message } } }
            """, new { input = new { name = "salesRep", description = "销售代表", entities = new object[] { new { entity = "*", read = "TEAM", create = "OWN", update = "OWN" } }, fields = new object[] { new { entity = "lead", field = "budget", read = false, write = false } } } });
        await admin.MutateAsync("mutation($id: ID!) { setUserRoles(id: $id, roles: [\"salesRep\"]) { user { roles } userErrors { code } } }", new { id = han["id"]!.GetValue<string>() });
        var team = await admin.MutateAsync("mutation($m: ID!, $members: [ID!]) { saveTeam(name: \"华南销售\", managerId: $m, memberIds: $members) { team { name manager { displayName } members { email } } userErrors { code } } }",
            new { m = li["id"]!.GetValue<string>(), members = new[] { han["id"]!.GetValue<string>() } });
        Assert.Equal("李雷", team["team"]!["manager"]!["displayName"]!.GetValue<string>());

        var data = await admin.QueryAsync("{ users { email roles teams { name } } roles { name builtIn entities { entity read create } fields { entity field read } } securityLog(first: 10) { event detail actor } }");
        Assert.Contains(data["users"]!.AsArray(), u => u!["email"]!.GetValue<string>() == "han@example.cn" && u["roles"]![0]!.GetValue<string>() == "salesRep" && u["teams"]![0]!["name"]!.GetValue<string>() == "华南销售");
        var rep = data["roles"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "salesRep")!;
        Assert.Equal("TEAM", rep["entities"]![0]!["read"]!.GetValue<string>());
        Assert.Equal("budget", rep["fields"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(["team_changed", "roles_changed", "role_changed", "user_created", "user_created"], data["securityLog"]!.AsArray().Select(e => e!["event"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_identity_changes_are_refused_with_typed_errors()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        await admin.MutateAsync(CreateUser, new { email = "a@example.cn", name = "A" });
        var duplicate = await admin.QueryAsync(CreateUser, new { email = "A@example.cn", name = "B" });
        Assert.Equal("NAME_TAKEN", duplicate["createUser"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        var unknownRole = await admin.QueryAsync(CreateUser, new { email = "c@example.cn", name = "C", roles = new[] { "wizard" } });
        Assert.Equal("NOT_FOUND", unknownRole["createUser"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        var builtIn = await admin.QueryAsync("mutation { saveRole(input: { name: \"admin\" }) { userErrors { code } } }");
        Assert.Equal("RESERVED_NAME", builtIn["saveRole"]!["userErrors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_are_shown_once_listed_without_secrets_and_revoked_at_once()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var created = await admin.MutateAsync("mutation { createApiKey(name: \"ERP sync\", roles: [\"reader\"]) { key apiKey { id name roles } userErrors { code } } }");
        var key = created["key"]!.GetValue<string>();
        var id = created["apiKey"]!["id"]!.GetValue<string>();
        using var integration = fixture.Host.Client(admin.TenantId, key);
        Assert.Equal(HttpStatusCode.OK, (await integration.PostAsync("{ me { roles isAdmin } }")).Status);

        var listed = await admin.QueryAsync("{ apiKeys { id name revokedAt } }");
        Assert.DoesNotContain(key[^20..], listed.ToJsonString(), StringComparison.Ordinal);

        await admin.MutateAsync("mutation($id: String!) { revokeApiKey(id: $id) { apiKey { revokedAt } userErrors { code } } }", new { id });
        var refused = await integration.PostAsync("{ me { roles } }");
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (refused.Status, refused.FirstErrorCode));
        var log = await admin.QueryAsync("{ securityLog(event: \"key_revoked\") { keyId } }");
        Assert.Equal(id, log["securityLog"]![0]!["keyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_keys_of_a_deactivated_user_stop_working()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var user = await admin.MutateAsync(CreateUser, new { email = "leaver@example.com", name = "Leaver", roles = new[] { "user" } });
        var userId = user["user"]!["id"]!.GetValue<string>();
        var key = (await admin.MutateAsync("mutation($u: ID!) { createApiKey(name: \"own\", roles: [\"user\"], userId: $u) { key userErrors { code } } }", new { u = userId }))["key"]!.GetValue<string>();
        using var client = fixture.Host.Client(admin.TenantId, key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ me { roles } }")).Status);

        await admin.MutateAsync("mutation($u: ID!) { updateUser(id: $u, active: false) { user { active } userErrors { code } } }", new { u = userId });
        var refused = await client.PostAsync("{ me { roles } }");
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (refused.Status, refused.FirstErrorCode));
        Assert.Contains("deactivated", refused.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await admin.MutateAsync("mutation($u: ID!) { updateUser(id: $u, active: true) { user { active } userErrors { code } } }", new { u = userId });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ me { roles } }")).Status);
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        // The host's clock is a fake one, moved past the key's expiry instead of waiting for it.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new CrmHost { ConfigureTestServices = services => services.AddSingleton<TimeProvider>(time) };
        using var admin = await host.NewTenantAsync();
        var catalog = host.Service<CrmEngine.Engine.Tenancy.TenantCatalog>();
        var issued = await catalog.CreateApiKeyAsync(admin.TenantId, "short-lived", ["reader"], null, time.GetUtcNow().UtcDateTime.AddSeconds(1), CancellationToken.None);
        using var client = host.Client(admin.TenantId, issued.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ me { roles } }")).Status);
        time.Advance(TimeSpan.FromSeconds(1.5));
        var expired = await client.PostAsync("{ me { roles } }");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Contains("expired", expired.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_admins_can_not_read_or_change_identity()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var issued = await fixture.Host.Service<CrmEngine.Engine.Tenancy.TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "user", ["user"], null, null, CancellationToken.None);
        using var user = fixture.Host.Client(admin.TenantId, issued.Key);
        Assert.Equal("FORBIDDEN", (await user.PostAsync("{ users { email } }")).FirstErrorCode);
        var data = await user.QueryAsync("mutation { createApiKey(name: \"x\", roles: [\"admin\"]) { key userErrors { code } } }");
        Assert.Equal("FORBIDDEN", data["createApiKey"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Null(data["createApiKey"]!["key"]);
        var me = await user.QueryAsync("{ me { isAdmin roles } }");
        Assert.False(me["me"]!["isAdmin"]!.GetValue<bool>());
        var log = await admin.QueryAsync("{ securityLog(event: \"access_denied\") { detail } }");
        Assert.Contains("createApiKey", log["securityLog"]![0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
