using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Plugins;

/// <summary>A plugin's record API acts as the caller: a plugin operation sees and changes only what its caller may.</summary>
[Collection(PluginHostGroup.Name)]
public sealed class PluginPermissionTests(PluginHostFixture fixture)
{
    [Fact]
    public async Task Plugin_operations_read_and_write_through_the_callers_permissions()
    {
        using var admin = await fixture.TenantWithAsync("tasks");
        await admin.MutateAsync("mutation { saveRole(input: { name: \"ownRep\", entities: [{ entity: \"*\", read: OWN, create: OWN, update: OWN, delete: OWN }] }) { userErrors { code message } } }");
        var user = await admin.MutateAsync("mutation { createUser(email: \"ann@example.cn\", displayName: \"Ann\", roles: [\"ownRep\"]) { user { id } userErrors { code } } }");
        var key = await admin.MutateAsync("mutation($id: ID!) { createApiKey(name: \"ann\", roles: [], userId: $id) { key userErrors { code } } }", new { id = user["user"]!["id"]!.GetValue<string>() });
        using var ann = fixture.Host.Client(admin.TenantId, key["key"]!.GetValue<string>());
        var adminsTask = (await admin.MutateAsync("mutation { createTask(input: { title: \"Admin's task\" }) { task { id } userErrors { code message } } }"))["task"]!["id"]!.GetValue<string>();
        await ann.MutateAsync("mutation { createTask(input: { title: \"Ann's task\" }) { task { id } userErrors { code message } } }");

        // The plugin's FindAsync runs as Ann: the seeded and the admin's open tasks are not hers.
        var summary = await ann.QueryAsync("{ taskSummary { open openTitles } }");
        Assert.Equal(1, summary["taskSummary"]!["open"]!.GetValue<int>());
        Assert.Equal(["Ann's task"], summary["taskSummary"]!["openTitles"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(3, (await admin.QueryAsync("{ taskSummary { open } }"))["taskSummary"]!["open"]!.GetValue<int>());

        // Its UpdateAsync runs as Ann too: the admin's task is not found, and stays open.
        var refused = await ann.QueryAsync("mutation($id: ID!) { completeTask(id: $id) { result { status } userErrors { code } } }", new { id = adminsTask });
        Assert.Equal("NOT_FOUND", refused["completeTask"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        var task = await admin.QueryAsync("query($id: ID!) { task(id: $id) { status version } }", new { id = adminsTask });
        Assert.Equal("open", task["task"]!["status"]!.GetValue<string>());

        // Exactly as for a task that never existed, deleted or not.
        const string Complete = "mutation($id: ID!) { completeTask(id: $id) { result { id status } userErrors { field code message } } }";
        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(ann, Complete, adminsTask);
        await admin.MutateAsync("mutation($id: ID!) { deleteTask(id: $id) { deletedId userErrors { code message } } }", new { id = adminsTask });
        await MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(ann, Complete, adminsTask);
    }
}
