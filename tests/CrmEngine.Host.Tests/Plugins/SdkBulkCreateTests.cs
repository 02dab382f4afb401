using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Adapters;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>
/// What SDK 0.3 added: <c>IRecordApi.CreateManyAsync</c>, many creates in one call, each an ordinary
/// create of the caller (validation, permissions, hooks) with an outcome of its own; inside a write
/// it joins it, outside one (jobs) it writes in chunks as a bulk mutation does.
/// </summary>
[Collection(PluginHostGroup.Name)]
public sealed class SdkBulkCreateTests(PluginHostFixture fixture)
{
    private const string Items = "{ probeItems(orderBy: [{ name: ASC }]) { edges { node { name ownerId } } } }";

    [Fact]
    public async Task A_plugin_creates_many_items_in_one_call_each_checked_against_the_callers_rights_and_refused_alone()
    {
        using var admin = await fixture.TenantWithAsync("probe");
        await admin.MutateAsync("mutation { saveRole(input: { name: \"ownRep\", entities: [{ entity: \"*\", read: OWN, create: OWN, update: OWN, delete: OWN }] }) { userErrors { code message } } }");
        var user = await admin.MutateAsync("mutation { createUser(email: \"ann@example.cn\", displayName: \"Ann\", roles: [\"ownRep\"]) { user { id } userErrors { code } } }");
        var annId = user["user"]!["id"]!.GetValue<string>();
        var key = await admin.MutateAsync("mutation($id: ID!) { createApiKey(name: \"ann\", roles: [], userId: $id) { key userErrors { code } } }", new { id = annId });
        using var ann = fixture.Host.Client(admin.TenantId, key["key"]!.GetValue<string>());
        var adminId = (await admin.QueryAsync("{ me { userId } }"))["me"]!["userId"]!.GetValue<string>();

        // Item 1 has no name; item 2 would be the admin's, which Ann (own scope) may not give away.
        var result = await ann.MutateAsync("mutation($to: ID) { probeCreateMany(names: [\"甲\", \"\", \"乙\", \"丙\"], giveTo: $to, giveAt: 2) { result userErrors { code message } } }",
            new { to = adminId });

        Assert.Equal(["created 甲", "REQUIRED", "FORBIDDEN", "created 丙"], result["result"]!.AsArray().Select(r => r!.GetValue<string>()));
        var items = (await admin.QueryAsync(Items))["probeItems"]!["edges"]!.AsArray().Select(e => (e!["node"]!["name"]!.GetValue<string>(), e["node"]!["ownerId"]!.GetValue<string>())).Order();
        Assert.Equal([("丙", annId), ("甲", annId)], items);
        Assert.NotEqual(adminId, annId);
    }

    [Fact]
    public async Task Items_created_in_a_hook_join_its_write_and_go_when_it_is_refused()
    {
        using var client = await fixture.TenantWithAsync("probe");

        var kept = await client.MutateAsync("mutation { createProbeGroup(input: { name: \"batch:x,,y\" }) { probeGroup { id } userErrors { code message } } }");
        var refused = await client.QueryAsync("mutation { createProbeGroup(input: { name: \"batch:z!\" }) { probeGroup { id } userErrors { code message } } }");

        Assert.NotNull(kept["probeGroup"]);
        Assert.Equal("REJECTED", refused["createProbeGroup"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("Refused after creating 1 items.", refused["createProbeGroup"]!["userErrors"]![0]!["message"]!.GetValue<string>());
        var names = (await client.QueryAsync(Items))["probeItems"]!["edges"]!.AsArray().Select(e => e!["node"]!["name"]!.GetValue<string>());
        Assert.Equal(["x", "y"], names);
    }

    [Fact]
    public async Task Outside_a_write_as_in_a_job_the_items_are_written_in_chunks_each_with_its_audit_trail()
    {
        using var client = await fixture.TenantWithAsync("probe");
        var store = await fixture.Host.Services.GetRequiredService<TenantRegistry>().GetAsync(client.TenantId, CancellationToken.None);
        // A job's record API: an admin identity with no request and no write open.
        var records = fixture.Host.Services.GetRequiredService<RecordApiFactory>().For(new CrmSession(store, new CrmPrincipal(client.TenantId, Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole])));
        var items = Enumerable.Range(0, 1200).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["name"] = i == 700 ? null : $"条目 {i}", ["score"] = i }).ToList();

        var outcomes = await records.CreateManyAsync("probeItem", items);

        Assert.Equal(1200, outcomes.Count);
        Assert.Equal([700], outcomes.Select((o, i) => (o, i)).Where(x => !x.o.Succeeded).Select(x => x.i));
        Assert.Equal("REQUIRED", outcomes[700].Errors[0].Code);
        Assert.Equal(1199, await Sdk.Records.RecordApiExtensions.CountAsync(records, "probeItem"));
        var written = outcomes[1199].Record!;
        var history = await client.QueryAsync("query($id: ID!) { auditTrail(id: $id) { operation } }", new { id = Sdk.Records.RecordIds.GlobalId("probeItem", written.Id) });
        Assert.Equal("create", history["auditTrail"]![0]!["operation"]!.GetValue<string>());
    }
}
