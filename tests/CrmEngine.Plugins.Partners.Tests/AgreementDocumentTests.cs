using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>An agreement's documents (协议文件): the signed copy uploaded through the engine's files service, kept on the agreement, read and downloaded with it.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class AgreementDocumentTests(PartnersHost fixture)
{
    private static readonly byte[] SignedPdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task The_signed_agreement_is_kept_among_its_documents_and_downloads_as_uploaded()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var agreement = (await tenant.Admin.CreateAsync("PartnerAgreement", AgreementTests.Agreement(partner))).Id();
        var file = await UploadAsync(tenant.Admin, SignedPdf, "2027年度经销协议-盖章版.pdf");

        await tenant.Admin.UpdateAsync("PartnerAgreement", agreement, new { documents = new[] { file } });
        var documents = (await tenant.Admin.QueryAsync("query($id: ID!) { partnerAgreement(id: $id) { documents { id name contentType size url } } }", new { id = agreement }))["partnerAgreement"]!["documents"]!.AsArray();

        var document = Assert.Single(documents)!;
        Assert.Equal((file, "2027年度经销协议-盖章版.pdf", "application/pdf", SignedPdf.Length), (document.Id(), document["name"].Str(), document["contentType"].Str(), document["size"]!.GetValue<int>()));
        Assert.Equal(SignedPdf, await tenant.Admin.Http.GetByteArrayAsync(new Uri(document["url"].Str(), UriKind.RelativeOrAbsolute)));

        // A file that is not the writer's upload is refused, and the agreement keeps its document.
        var refused = await tenant.Admin.RefusedAsync("mutation($id: ID!, $i: UpdatePartnerAgreementInput!) { updatePartnerAgreement(id: $id, input: $i) { partnerAgreement { id } userErrors { field code message } } }", new { id = agreement, i = new { documents = new[] { file, "File:" + Guid.NewGuid() } } });
        Assert.Equal(("INVALID_VALUE", "documents"), (refused.Code, refused.Field));
        Assert.Single((await tenant.Admin.QueryAsync("query($id: ID!) { partnerAgreement(id: $id) { documents { id } } }", new { id = agreement }))["partnerAgreement"]!["documents"]!.AsArray());
    }

    /// <summary>uploadFile as a GraphQL multipart request (operations, map, the file), as Apollo's upload client sends it; the stored file's id.</summary>
    private static async Task<string> UploadAsync(GraphQLClient client, byte[] bytes, string name)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(JsonSerializer.Serialize(new { query = "mutation($file: Upload!) { uploadFile(file: $file) { file { id } userErrors { code } } }", variables = new { file = (object?)null } })), "operations" },
            { new StringContent("{\"0\": [\"variables.file\"]}"), "map" },
            { part, "0", name },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("graphql", UriKind.Relative)) { Content = content };
        request.Headers.Add("GraphQL-Preflight", "1");
        using var response = await client.Http.SendAsync(request);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["data"]!["uploadFile"]!["file"]!.Id();
    }
}
