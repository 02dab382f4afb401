using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>Imports into a plugin's entity: every row passes the module's hooks, as createLead and createManyLeads do.</summary>
[Collection(SalesHostGroup.Name)]
public sealed class ImportTests(SalesHost fixture)
{
    private const string Job = "query($id: ID!) { importJob(id: $id) { status rowsCreated rowsRefused errors(first: 10) { row column code } } }";

    [Fact]
    public async Task Imported_leads_pass_the_modules_hooks_row_by_row()
    {
        var tenant = await fixture.TenantAsync();
        var csv = """
            name,company,email,phone,status
            陈静,上海星辰科技有限公司,chen.jing@xingchen.cn,+86 138-0013-8000,
            王磊,,,,converted
            陈静,,CHEN.JING@xingchen.cn,138 0013 8000,
            """;

        var job = await ImportAsync(tenant.Admin, "lead", csv);

        Assert.Equal(("COMPLETED", 2L, 1L), (job["status"].Str(), job["rowsCreated"]!.GetValue<long>(), job["rowsRefused"]!.GetValue<long>()));
        // The module refuses a lead imported as already converted, as it refuses one created so.
        Assert.Equal((3L, "status", "REJECTED"), (job["errors"]![0]!["row"]!.GetValue<long>(), job["errors"]![0]!["column"].Str(), job["errors"]![0]!["code"].Str()));
        var leads = (await tenant.Admin.QueryAsync("{ leads(orderBy: [{createdAt: ASC}]) { nodes { name phoneKey } } }"))["leads"]!["nodes"]!.AsArray();
        // The module's before hook normalised each imported phone.
        Assert.Equal(["13800138000", "13800138000"], leads.Select(l => l!["phoneKey"].Str()));
    }

    private static async Task<JsonNode> ImportAsync(GraphQLClient client, string entity, string csv)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", "leads.csv");
        using var response = await client.Http.PostAsync($"/import/{entity}", form);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {body.ToJsonString()}");
        var job = await client.EventuallyAsync(Job, d => d["importJob"]!["status"].Str() is "COMPLETED" or "FAILED", new { id = body["id"].Str() });
        return job["importJob"]!;
    }
}
