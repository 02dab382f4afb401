using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Reports.Subscriptions;
using CsvHelper;
using MimeKit;
using MiniExcelLibs;

namespace CrmEngine.Host.Tests.Reports;

/// <summary>Report subscriptions as the tests use them: saving one, running the due deliveries at a time, and reading the attachments that arrive.</summary>
public static class ReportMail
{
    public const string Subscription = "id reportId subscriberId users emails formats schedule { frequency at timeZone weekdays dayOfMonth } onlyWhenRows active nextRunAt lastRunAt lastOutcome lastError";

    public const string Save = $$"""
        mutation($id: ID, $input: ReportSubscriptionInput!) { saveReportSubscription(id: $id, input: $input) { subscription { {{Subscription}} } userErrors { field code message } } }
        """;

    public const string List = $$"""query($reportId: ID) { reportSubscriptions(reportId: $reportId) { {{Subscription}} } }""";

    /// <summary>Every day at 08:00 in Shanghai.</summary>
    public static object Daily(string at = "08:00", string timeZone = "Asia/Shanghai") => new { frequency = "DAILY", at, timeZone };

    /// <summary>Saves a subscription that must be accepted; returns it.</summary>
    public static async Task<JsonNode> SubscribeAsync(TenantClient client, object input, string? id = null) =>
        (await client.MutateAsync(Save, new { id, input }))["subscription"]!;

    /// <summary>The errors a refused subscription gets, as "CODE field", sorted; asserts nothing was saved.</summary>
    public static async Task<List<string>> RefusedAsync(TenantClient client, object input, string? id = null)
    {
        var payload = (await client.QueryAsync(Save, new { id, input }))["saveReportSubscription"]!;
        Assert.Null(payload["subscription"]);
        return payload["userErrors"]!.AsArray().Select(e => $"{e!["code"]} {e["field"]}").Order(StringComparer.Ordinal).ToList();
    }

    public static async Task<JsonArray> ListAsync(TenantClient client, string? reportId = null) =>
        (await client.QueryAsync(List, new { reportId }))["reportSubscriptions"]!.AsArray();

    /// <summary>Runs the tenant's deliveries due at <paramref name="at"/> as the host's scheduler would; returns how many ran.</summary>
    public static Task<int> RunDueAsync(CrmHost host, TenantClient client, DateTime at) =>
        host.Service<ReportDeliveryScheduler>().RunDueAsync(client.TenantId, at, CancellationToken.None);

    /// <summary>Whether the scheduler's sweep, asking every store at once, finds the tenant with a delivery due at <paramref name="at"/>.</summary>
    public static async Task<bool> SweepFindsAsync(CrmHost host, TenantClient client, DateTime at) =>
        (await host.Service<CrmEngine.Engine.Tenancy.TenantCatalog>().TenantsWithDueWorkAsync(host.Service<ReportDeliveryScheduler>().DueProbe(at), CancellationToken.None)).Contains(client.TenantId);

    public static DateTime Time(JsonNode? node) => node!.GetValue<DateTime>().ToUniversalTime();

    /// <summary>An attachment's bytes, by file name ending.</summary>
    public static async Task<(string Name, string Type, byte[] Content)> AttachmentAsync(MimeMessage mail, string extension)
    {
        var part = mail.Attachments.OfType<MimePart>().Single(a => a.FileName?.EndsWith(extension, StringComparison.Ordinal) == true);
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        return (part.FileName!, part.ContentType.MimeType, content.ToArray());
    }

    /// <summary>A CSV attachment parsed with CsvHelper: the header, then each row's cells.</summary>
    public static List<string[]> Csv(byte[] content)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, content);
            using var csv = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = true });
            var rows = new List<string[]> { csv.Headers.ToArray() };
            while (csv.Read())
            {
                rows.Add(Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i)).ToArray());
            }

            return rows;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An XLSX attachment read back with MiniExcel: each row by header.</summary>
    public static List<IDictionary<string, object?>> Xlsx(byte[] content)
    {
        using var file = new MemoryStream(content);
        return file.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }

    /// <summary>The mail sent to <paramref name="address"/>.</summary>
    public static MimeMessage To(IEnumerable<MimeMessage> mails, string address) =>
        mails.Single(m => m.To.Mailboxes.Any(b => b.Address == address));
}
