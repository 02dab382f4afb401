using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Files;

/// <summary>What the files tests send: multipart uploads as Apollo's client sends them, and the sample contents.</summary>
internal static class Uploads
{
    public const string UploadFile = "mutation($file: Upload!) { uploadFile(file: $file) { file { id name contentType size sha256 url } userErrors { code } } }";

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];

    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>The start of a Windows executable.</summary>
    public static readonly byte[] Exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0];

    /// <summary>A multipart request per the spec: operations, map, then one part per file ("0", "1"...).</summary>
    public static MultipartFormDataContent Multipart(string query, object variables, IReadOnlyDictionary<string, string[]> map, params (byte[] Bytes, string Name, string DeclaredType)[] files)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(JsonSerializer.Serialize(new { query, variables })), "operations" },
            { new StringContent(JsonSerializer.Serialize(map)), "map" },
        };
        for (var i = 0; i < files.Length; i++)
        {
            var part = new ByteArrayContent(files[i].Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(files[i].DeclaredType);
            content.Add(part, i.ToString(System.Globalization.CultureInfo.InvariantCulture), files[i].Name);
        }

        return content;
    }

    /// <summary>Posts a multipart request with the preflight header (or without, when told).</summary>
    public static async Task<GraphQLResponse> PostAsync(TenantClient client, MultipartFormDataContent content, bool preflight = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        if (preflight)
        {
            request.Headers.Add("GraphQL-Preflight", "1");
        }

        using var response = await client.Http.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }

    /// <summary>Uploads one file with uploadFile; the whole answer.</summary>
    public static Task<GraphQLResponse> UploadAsync(TenantClient client, byte[] bytes, string name, string declaredType = "application/octet-stream", bool preflight = true) =>
        PostAsync(client, Multipart(UploadFile, new { file = (object?)null }, new Dictionary<string, string[]> { ["0"] = ["variables.file"] }, (bytes, name, declaredType)), preflight);

    /// <summary>Uploads one file that must be stored; its File object.</summary>
    public static async Task<JsonNode> UploadedAsync(TenantClient client, byte[] bytes, string name, string declaredType = "application/octet-stream")
    {
        var response = await UploadAsync(client, bytes, name, declaredType);
        Assert.True(response.Errors is null, response.Raw);
        return response.Data!["uploadFile"]!["file"]!;
    }

    public static string S(JsonNode? node) => node!.GetValue<string>();
}
