using System.Net;
using System.Security.Cryptography;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Files.Uploads;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Files;

/// <summary>
/// Files over real HTTP: uploads (GraphQL multipart requests), attachment fields, download links, and
/// files following their record. Run once with files on local disk and once on an S3-compatible server.
/// </summary>
public abstract class FileTests<TFixture>(TFixture fixture)
    where TFixture : FilesHostFixture
{
    private const string ContractFields = "id title document { id name contentType size sha256 url }";

    [Fact]
    public async Task An_uploaded_file_is_attached_read_with_its_sniffed_type_and_downloaded_through_its_link()
    {
        using var client = await TenantAsync();
        var uploaded = await UploadedAsync(client, Pdf, "../../etc/合同.pdf", "image/png");
        Assert.Equal("application/pdf", S(uploaded["contentType"]));
        Assert.Equal("合同.pdf", S(uploaded["name"]));

        var contract = (await client.MutateAsync($"mutation($input: CreateContractInput!) {{ createContract(input: $input) {{ contract {{ {ContractFields} }} userErrors {{ code }} }} }}",
            new { input = new { title = "框架协议", document = new[] { S(uploaded["id"]) } } }))["contract"]!;
        var file = contract["document"]![0]!;

        Assert.Equal(S(uploaded["id"]), S(file["id"]));
        Assert.Equal(Pdf.Length, file["size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), S(file["sha256"]));
        using var response = await DownloadAsync(S(file["url"]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Pdf, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("合同.pdf", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal([Guid.Parse(RecordIdOf(S(file["id"])))], await fixture.StoredAsync(client.TenantId));
    }

    [Fact]
    public async Task A_renamed_executable_claiming_to_be_a_png_is_refused_and_nothing_is_stored()
    {
        using var client = await TenantAsync();

        var response = await UploadAsync(client, Exe, "holiday.png", "image/png");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal("FILE_TYPE_NOT_ALLOWED", response.FirstErrorCode);
        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_and_nothing_is_stored()
    {
        using var client = await TenantAsync();
        var large = new byte[FilesHostFixture.MaxFileBytes + 1];
        Pdf.CopyTo(large, 0);

        var response = await UploadAsync(client, large, "big.pdf", "application/pdf");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("FILE_TOO_LARGE", response.FirstErrorCode);
        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task A_multipart_request_without_the_preflight_header_is_refused_and_nothing_is_stored()
    {
        using var client = await TenantAsync();

        var response = await UploadAsync(client, Png, "a.png", "image/png", preflight: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("PREFLIGHT_REQUIRED", response.FirstErrorCode);
        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task A_map_naming_a_file_that_was_not_sent_or_parts_out_of_order_are_refused_and_nothing_is_stored()
    {
        using var client = await TenantAsync();
        var missing = Multipart(UploadFile, new { file = (object?)null }, new Dictionary<string, string[]> { ["0"] = ["variables.file"], ["1"] = ["variables.other"] }, (Png, "a.png", "image/png"));
        var unmapped = Multipart(UploadFile, new { file = (object?)null }, new Dictionary<string, string[]>(), (Png, "a.png", "image/png"));
        var mapFirst = new MultipartFormDataContent { { new StringContent("{}"), "map" }, { new StringContent("{}"), "operations" } };

        var refusals = new[] { await PostAsync(client, missing), await PostAsync(client, unmapped), await PostAsync(client, mapFirst) };

        Assert.All(refusals, r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.Equal(["MISSING_MAP_ENTRY", "MISSING_MAP_ENTRY", "MALFORMED_MULTIPART"], refusals.Select(r => r.FirstErrorCode));
        await AssertNothingStoredAsync(client);
    }

    [Fact]
    public async Task Someone_who_cannot_read_the_record_gets_no_link_as_for_a_made_up_id()
    {
        using var admin = await TenantAsync();
        var uploaded = await UploadedAsync(admin, Png, "secret.png");
        await CreateContractAsync(admin, "机密", S(uploaded["id"]));
        await admin.MutateAsync("mutation($input: RoleInput!) { saveRole(input: $input) { role { name } userErrors { code } } }",
            new { input = new { name = "ownOnly", entities = new object[] { new { entity = "*", read = "OWN", create = "OWN", update = "OWN" } } } });
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "rep", ["ownOnly"], null, null, CancellationToken.None);
        using var rep = fixture.Host.Client(admin.TenantId, key.Key);

        var theirs = await rep.QueryAsync("query($id: ID!) { file(id: $id) { url } }", new { id = S(uploaded["id"]) });
        var madeUp = await rep.QueryAsync("query($id: ID!) { file(id: $id) { url } }", new { id = "File:" + Guid.CreateVersion7() });
        var pendingOfAnother = await UploadedAsync(admin, Png, "pending.png");
        var pending = await rep.QueryAsync("query($id: ID!) { file(id: $id) { url } }", new { id = S(pendingOfAnother["id"]) });

        Assert.Null(theirs["file"]);
        Assert.Equal(madeUp.ToJsonString(), theirs.ToJsonString());
        Assert.Null(pending["file"]);
        Assert.NotNull((await admin.QueryAsync("query($id: ID!) { file(id: $id) { url } }", new { id = S(uploaded["id"]) }))["file"]);
    }

    [Fact]
    public async Task Another_users_pending_file_cannot_be_attached()
    {
        using var admin = await TenantAsync();
        var uploaded = await UploadedAsync(admin, Png, "mine.png");
        var key = await fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(admin.TenantId, "other admin", ["admin"], null, null, CancellationToken.None);
        using var other = fixture.Host.Client(admin.TenantId, key.Key);

        var refused = await other.QueryAsync("mutation($input: CreateContractInput!) { createContract(input: $input) { contract { id } userErrors { field code } } }",
            new { input = new { title = "借用", document = new[] { S(uploaded["id"]) } } });

        Assert.Null(refused["createContract"]!["contract"]);
        Assert.Equal("INVALID_VALUE", S(refused["createContract"]!["userErrors"]![0]!["code"]));
        Assert.Equal("pending", (await fixture.RowsAsync(admin.TenantId)).Single().State);
    }

    [Fact]
    public async Task An_expired_or_altered_link_is_refused()
    {
        using var client = await TenantAsync();
        var url = S((await UploadedAsync(client, Png, "a.png"))["url"]);

        using var altered = await DownloadAsync(url[..^3] + (url.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA"));
        fixture.Time.Advance(TimeSpan.FromMinutes(6));
        using var expired = await DownloadAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, altered.StatusCode);
        Assert.Contains("LINK_INVALID", await altered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("LINK_EXPIRED", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_are_deleted_with_their_record_and_come_back_with_its_restore()
    {
        using var client = await TenantAsync();
        var uploaded = await UploadedAsync(client, Png, "photo.png");
        var id = await CreateContractAsync(client, "待删", S(uploaded["id"]));
        var url = S((await client.QueryAsync($"query($id: ID!) {{ contract(id: $id) {{ {ContractFields} }} }}", new { id }))["contract"]!["document"]![0]!["url"]);

        await client.MutateAsync("mutation($id: ID!) { deleteContract(id: $id) { userErrors { code } } }", new { id });
        var whileDeleted = await client.QueryAsync("query($id: ID!) { file(id: $id) { id } }", new { id = S(uploaded["id"]) });
        using var download = await DownloadAsync(url);
        Assert.Null(whileDeleted["file"]);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);

        await client.MutateAsync("mutation($id: ID!) { restoreContract(id: $id) { userErrors { code } } }", new { id });
        var restored = await client.QueryAsync($"query($id: ID!) {{ contract(id: $id) {{ {ContractFields} }} }}", new { id });
        using var again = await DownloadAsync(S(restored["contract"]!["document"]![0]!["url"]));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Png, await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_file_taken_off_its_field_is_no_longer_served()
    {
        using var client = await TenantAsync();
        var uploaded = await UploadedAsync(client, Png, "old.png");
        var id = await CreateContractAsync(client, "换文件", S(uploaded["id"]));
        var url = S((await client.QueryAsync("query($id: ID!) { file(id: $id) { url } }", new { id = S(uploaded["id"]) }))["file"]!["url"]);

        var updated = await client.MutateAsync($"mutation($id: ID!) {{ updateContract(id: $id, input: {{ document: [] }}) {{ contract {{ {ContractFields} }} userErrors {{ code }} }} }}", new { id });
        using var download = await DownloadAsync(url);

        Assert.Empty(updated["contract"]!["document"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal("detached", (await fixture.RowsAsync(client.TenantId)).Single().State);
    }

    [Fact]
    public async Task Purging_an_attachment_field_removes_its_files_and_removing_it_keeps_them()
    {
        using var client = await TenantAsync();
        var document = await UploadedAsync(client, Pdf, "keep.pdf");
        var photo = await UploadedAsync(client, Png, "purge.png");
        await client.MutateAsync("mutation($input: CreateContractInput!) { createContract(input: $input) { contract { id } userErrors { code } } }",
            new { input = new { title = "清理", document = new[] { S(document["id"]) }, photos = new[] { S(photo["id"]) } } });

        await client.MutateAsync("mutation { removeField(entity: \"contract\", field: \"photos\") { userErrors { code } } }");
        Assert.Equal(2, (await fixture.StoredAsync(client.TenantId)).Count);
        await client.MutateAsync("mutation { purgeField(entity: \"contract\", field: \"photos\") { userErrors { code } } }");

        var kept = Guid.Parse(RecordIdOf(S(document["id"])));
        Assert.True(await fixture.EventuallyAsync(async () => (await fixture.StoredAsync(client.TenantId)).SequenceEqual([kept])));
        Assert.Equal([kept], (await fixture.RowsAsync(client.TenantId)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_tenant_backup_carries_its_files_and_its_restore_brings_back_exactly_them()
    {
        using var client = await TenantAsync();
        var before = await UploadedAsync(client, Pdf, "before.pdf");
        var id = await CreateContractAsync(client, "备份之前", S(before["id"]));
        var backups = fixture.Host.Service<TenantBackups>();
        var file = Path.Combine(Directory.CreateTempSubdirectory("crm-file-backup-").FullName, "tenant.backup");
        await backups.BackupAsync(client.TenantId, file, CancellationToken.None);
        await CreateContractAsync(client, "备份之后", S((await UploadedAsync(client, Png, "after.png"))["id"]));
        
        // On SQLite a store is restored while no connection holds it (docs/operations.md): let the pooled ones go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await backups.RestoreAsync(client.TenantId, file, CancellationToken.None);

        Assert.Equal([Guid.Parse(RecordIdOf(S(before["id"])))], await fixture.StoredAsync(client.TenantId));
        var restored = await client.QueryAsync($"query($id: ID!) {{ contract(id: $id) {{ {ContractFields} }} }}", new { id });
        using var download = await DownloadAsync(S(restored["contract"]!["document"]![0]!["url"]));
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_its_files()
    {
        using var client = await TenantAsync();
        await CreateContractAsync(client, "删除租户", S((await UploadedAsync(client, Pdf, "a.pdf"))["id"]));

        await fixture.Host.Service<TenantCatalog>().DeleteTenantAsync(client.TenantId, CancellationToken.None);

        Assert.True(await fixture.EventuallyAsync(async () => (await fixture.StoredAsync(client.TenantId)).Count == 0));
    }

    [Fact]
    public async Task A_document_stored_in_process_is_attached_to_its_record_field_like_an_upload()
    {
        using var client = await TenantAsync();
        var id = await CreateContractAsync(client, "生成文档");
        var store = await fixture.Host.Service<TenantRegistry>().GetAsync(client.TenantId, CancellationToken.None);
        var session = new CrmEngine.Engine.Records.CrmSession(store, CrmEngine.Engine.Identity.CrmPrincipal.System(client.TenantId));

        var (stored, result) = await fixture.Host.Service<CrmEngine.Files.FilesService>().AttachAsync(session, "contract", Guid.Parse(RecordIdOf(id, "contract")), "photos", new MemoryStream(Pdf), "报价单.pdf", CancellationToken.None);

        Assert.True(result.Succeeded);
        var read = await client.QueryAsync($"query($id: ID!) {{ contract(id: $id) {{ photos {{ id name contentType }} }} }}", new { id });
        Assert.Equal(("报价单.pdf", "application/pdf"), (S(read["contract"]!["photos"]![0]!["name"]), S(read["contract"]!["photos"]![0]!["contentType"])));
        Assert.Equal(stored!.Id, Guid.Parse(RecordIdOf(S(read["contract"]!["photos"]![0]!["id"]))));
    }

    private async Task<TenantClient> TenantAsync()
    {
        var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "contract",
                labels = Labels("Contract", "合同"),
                fields = new[] { Field("title", "TEXT", new { required = true }), Field("document", "ATTACHMENT", new { max = 1 }), Field("photos", "ATTACHMENT") },
            },
        });
        return client;
    }

    private static async Task<string> CreateContractAsync(TenantClient client, string title, params string[] files) =>
        S((await client.MutateAsync("mutation($input: CreateContractInput!) { createContract(input: $input) { contract { id } userErrors { code } } }",
            new { input = new { title, document = files } }))["contract"]!["id"]);

    private async Task<HttpResponseMessage> DownloadAsync(string url)
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        return await anonymous.GetAsync(url);
    }

    private async Task AssertNothingStoredAsync(TenantClient client)
    {
        Assert.Empty(await fixture.StoredAsync(client.TenantId));
        Assert.Empty(await fixture.RowsAsync(client.TenantId));
        Assert.Empty(fixture.Staged());
    }

    private static string RecordIdOf(string globalId, string type = "File") =>
        CrmEngine.Engine.Records.GlobalId.TryRead(globalId, type, out var id) ? id.ToString() : throw new InvalidOperationException(globalId);
}

public sealed class LocalDiskFileTests(LocalDiskFilesFixture fixture) : FileTests<LocalDiskFilesFixture>(fixture), IClassFixture<LocalDiskFilesFixture>;

public sealed class S3FileTests(S3FilesFixture fixture) : FileTests<S3FilesFixture>(fixture), IClassFixture<S3FilesFixture>;
