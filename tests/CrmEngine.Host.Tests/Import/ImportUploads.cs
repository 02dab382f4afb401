using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using MiniExcelLibs;

namespace CrmEngine.Host.Tests.Import;

/// <summary>Uploads files to POST /import/&lt;entity&gt; as a client would (multipart/form-data) and follows their jobs.</summary>
internal static class ImportUploads
{
    public const string Job = """
        query($id: ID!) { importJob(id: $id) {
          id status mode dryRun format rowsRead rowsCreated rowsUpdated rowsRefused unmappedColumns errorCode errorMessage errorReportUrl
          errors(first: 100) { row column code message }
        } }
        """;

    public static byte[] Csv(string text, bool bom = false) => [.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)];

    public static byte[] Xlsx(IEnumerable<Dictionary<string, object?>> rows)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>Posts the file (and the options, when given) and returns the status and the JSON answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode Body)> UploadAsync(TenantClient client, string entity, byte[] file, string fileName, object? options = null)
    {
        using var form = new MultipartFormDataContent();
        if (options is not null)
        {
            form.Add(new StringContent(JsonSerializer.Serialize(options), Encoding.UTF8, "application/json"), "options");
        }

        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        using var response = await client.Http.PostAsync($"/import/{entity}", form);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Uploads, expects the job accepted, and waits for it to end; returns importJob.</summary>
    public static async Task<JsonNode> ImportAsync(TenantClient client, string entity, byte[] file, string fileName, object? options = null)
    {
        var (status, body) = await UploadAsync(client, entity, file, fileName, options);
        Assert.True(status == HttpStatusCode.Accepted, $"{status}: {body.ToJsonString()}");
        var job = await client.EventuallyAsync(Job, d => d["importJob"]!["status"]!.GetValue<string>() is "COMPLETED" or "FAILED", new { id = body["id"]!.GetValue<string>() });
        return job["importJob"]!;
    }

    public static string Code(JsonNode body) => body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    public static long Count(JsonNode job, string name) => job[name]!.GetValue<long>();
}
