using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Metadata;

[Collection(HostGroup.Name)]
public sealed class MetadataApiTests(HostFixture fixture)
{
    private static string CodeOf(System.Text.Json.Nodes.JsonNode data, string mutation) => data[mutation]!["userErrors"]![0]!["code"]!.GetValue<string>();

    [Fact]
    public async Task An_entity_without_chinese_labels_is_refused()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var data = await client.QueryAsync(CreateEntity, new { input = new { name = "project", labels = new[] { new { locale = "en", text = "Project" } } } });
        Assert.Equal("LABEL_REQUIRED", CodeOf(data, "createEntity"));
        Assert.Empty((await client.QueryAsync("{ entities { name } }"))["entities"]!.AsArray());
    }

    [Theory]
    [InlineData("Project", "INVALID_NAME")]
    [InlineData("node", "RESERVED_NAME")]
    [InlineData("项目", "INVALID_NAME")]
    public async Task Bad_entity_names_are_refused(string name, string code)
    {
        using var client = await fixture.Host.NewTenantAsync();
        var data = await client.QueryAsync(CreateEntity, new { input = new { name, labels = Labels("P", "项目") } });
        Assert.Equal(code, CodeOf(data, "createEntity"));
    }

    [Fact]
    public async Task Adding_a_field_to_an_unknown_entity_is_refused()
    {
        using var client = await fixture.Host.NewTenantAsync();
        var data = await client.QueryAsync(AddField, new { entity = "widget", input = Field("size", "INTEGER") });
        Assert.Equal("UNKNOWN_ENTITY", CodeOf(data, "addField"));
    }

    [Fact]
    public async Task Labels_constraints_and_options_can_be_changed()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var payload = await client.MutateAsync("""
            mutation($input: UpdateFieldInput!) { updateField(entity: "project", field: "status", input: $input) {
              field { label(locale: "zh-CN") required options { value label(locale: "zh-CN") color active } } metadataVersion userErrors { code message } } }
            """, new
        {
            input = new
            {
                labels = new[] { new { locale = "zh-CN", text = "项目状态" } },
                required = true,
                options = new object[]
                {
                    new { value = "planned", labels = Labels("Planned", "计划中"), color = "#3366ff" },
                    new { value = "running", labels = Labels("Running", "进行中"), active = false },
                    new { value = "done", labels = Labels("Done", "已完成") },
                },
            },
        });

        Assert.Equal("项目状态", payload["field"]!["label"]!.GetValue<string>());
        Assert.True(payload["field"]!["required"]!.GetValue<bool>());
        Assert.Equal(3, payload["field"]!["options"]!.AsArray().Count);
        var refused = await client.QueryAsync("mutation { createProject(input: { title: \"x\", status: \"running\" }) { userErrors { code } } }");
        Assert.Equal("INVALID_OPTION", CodeOf(refused, "createProject"));
    }

    [Fact]
    public async Task An_unsafe_type_change_is_refused_through_the_api_and_changes_nothing()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        var version = (await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>();
        await client.MutateAsync("mutation { createProject(input: { title: \"not a number\" }) { userErrors { code } } }");

        var data = await client.QueryAsync("mutation { updateField(entity: \"project\", field: \"title\", input: { type: INTEGER }) { userErrors { code message } metadataVersion } }");

        Assert.Equal("UNSAFE_CHANGE", CodeOf(data, "updateField"));
        Assert.Equal(version, (await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]!.GetValue<int>());
        Assert.Equal("not a number", (await client.QueryAsync("{ projects { nodes { title } } }"))["projects"]!["nodes"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_removed_field_keeps_its_data_for_a_restore_and_the_change_log_tells_the_story()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await DefineProjectsAsync(client);
        await client.MutateAsync("mutation { createProject(input: { title: \"x\", headcount: 12 }) { userErrors { code } } }");

        await client.MutateAsync("mutation { removeField(entity: \"project\", field: \"headcount\") { userErrors { code } } }");
        var removed = await client.QueryAsync("{ entity(name: \"project\") { fields(includeRemoved: true) { name state } } }");
        Assert.Contains(removed["entity"]!["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "headcount" && f["state"]!.GetValue<string>() == "REMOVED");

        await client.MutateAsync("mutation { restoreField(entity: \"project\", field: \"headcount\") { userErrors { code } } }");
        Assert.Equal(12, (await client.QueryAsync("{ projects { nodes { headcount } } }"))["projects"]!["nodes"]![0]!["headcount"]!.GetValue<int>());

        var log = await client.QueryAsync("{ metadataChanges(first: 2) { summary actor } }");
        Assert.StartsWith("Restored field", log["metadataChanges"]![0]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(log["metadataChanges"]![0]!["actor"]);
    }

    [Fact]
    public async Task Only_admins_change_metadata()
    {
        using var admin = await fixture.Host.NewTenantAsync();
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "integration", ["user"], null, null, CancellationToken.None);
        using var user = fixture.Host.Client(admin.TenantId, key.Key);

        var data = await user.QueryAsync(CreateEntity, new { input = new { name = "project", labels = Labels("Project", "项目") } });
        Assert.Equal("FORBIDDEN", CodeOf(data, "createEntity"));
        Assert.Empty((await user.QueryAsync("{ entities { name } }"))["entities"]!.AsArray());
    }
}
