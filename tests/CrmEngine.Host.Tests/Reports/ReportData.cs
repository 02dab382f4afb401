using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Queries.SalesData;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>
/// Six contacts of two accounts, over two years, for reports whose every figure is worked out by hand:
/// <code>
/// name score budget status account  nextCallOn
/// A    10    100.5  won    Huawei   2025-01-05
/// F    50    400    lost   Huawei   2025-02-14
/// B    20    200    won    Huawei   2026-01-07
/// C    30    -      lost   Acme     2026-02-20
/// D    -     -      new    -        2026-02-03
/// E    40    300    won    Acme     2026-02-11
/// </code>
/// </summary>
public static class ReportData
{
    public const string Huawei = "深圳华为技术有限公司";

    public const string Save = """
        mutation($input: ReportInput!) { saveReport(input: $input) { report { id name entity measures { name function field } } userErrors { field code message } } }
        """;

    public const string Rows = "rows { keys { field value label } count values { measure value percentOfTotal previous change } cells { key { value label } count values { measure value } } recordId columns }";

    public static async Task<TenantClient> TenantAsync(CrmHost host)
    {
        var client = await host.NewTenantAsync();
        await DefineAsync(client);
        var huawei = await AccountAsync(client, Huawei, "telecom");
        var acme = await AccountAsync(client, "Acme Retail", "retail");
        await ContactAsync(client, "A", new { score = 10, budget = new { amount = 100.5 }, status = "won", accountId = huawei, nextCallOn = "2025-01-05" });
        await ContactAsync(client, "F", new { score = 50, budget = new { amount = 400 }, status = "lost", accountId = huawei, nextCallOn = "2025-02-14" });
        await ContactAsync(client, "B", new { score = 20, budget = new { amount = 200 }, status = "won", accountId = huawei, nextCallOn = "2026-01-07" });
        await ContactAsync(client, "C", new { score = 30, status = "lost", accountId = acme, nextCallOn = "2026-02-20" });
        await ContactAsync(client, "D", new { status = "new", nextCallOn = "2026-02-03" });
        await ContactAsync(client, "E", new { score = 40, budget = new { amount = 300 }, status = "won", accountId = acme, nextCallOn = "2026-02-11" });
        return client;
    }

    /// <summary>Saves a report and returns its id.</summary>
    public static async Task<string> SaveAsync(TenantClient client, object input) =>
        (await client.MutateAsync(Save, new { input }))["report"]!["id"]!.GetValue<string>();

    /// <summary>Saves a report, runs it and returns the result.</summary>
    public static async Task<JsonNode> RunAsync(TenantClient client, object input, string? parameters = null)
    {
        var id = await SaveAsync(client, input);
        var data = await client.QueryAsync($"query($id: ID!) {{ runReport(id: $id{(parameters is null ? string.Empty : ", parameters: " + parameters)}) {{ {Rows} totals {{ count values {{ measure value percentOfTotal }} }} pivotColumns {{ value label }} hasMoreRows columns chart }} }}", new { id });
        return data["runReport"]!;
    }

    /// <summary>Each row as "label/label: count", keys joined by '/'.</summary>
    public static List<string> Counts(JsonNode result) =>
        result["rows"]!.AsArray().Select(r => $"{string.Join('/', r!["keys"]!.AsArray().Select(k => k!["label"]?.GetValue<string>() ?? "-"))}: {r["count"]}").ToList();

    /// <summary>A measure's value in a row (or the totals).</summary>
    public static JsonNode? Value(JsonNode row, string measure, string member = "value") =>
        row["values"]!.AsArray().Single(v => v!["measure"]!.GetValue<string>() == measure)![member];

    public static JsonNode Row(JsonNode result, string label) =>
        result["rows"]!.AsArray().Single(r => (r!["keys"]![0]!["label"]?.GetValue<string>() ?? "-") == label)!;
}
