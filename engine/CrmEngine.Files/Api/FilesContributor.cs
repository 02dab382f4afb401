using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Files.Storage;
using CrmEngine.Files.Uploads;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.Files.Api;

/// <summary>
/// Files in every tenant's schema: the <c>Upload</c> scalar and the <c>File</c> type, <c>file(id)</c>,
/// <c>uploadFile(file)</c> (a pending file of the caller's, whose id a record input's attachment field
/// then takes), and attachment fields read as <c>[File!]</c>, each with a short-lived download link.
/// </summary>
internal sealed class FilesContributor(FilesService files, DownloadLinks links) : ISchemaContributor
{
    // After the record types (0) and their operations (10).
    public int Order => 40;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var upload = new UploadGraphType();
        var file = FileType(types);
        var payload = SharedTypes.SourceObject("UploadFilePayload", "The stored file, or why it was not stored.",
            ("file", file, s => ((UploadOutcome)s).File),
            ("userErrors", types.UserErrors, s => ((UploadOutcome)s).Errors));
        context.ExtraTypes.Add(upload);

        context.Query.AddField(new FieldType
        {
            Name = "file",
            Description = "A file you may see: one you uploaded and have not attached yet, or one on a record (and field) you may read. Null otherwise, as for a made-up id.",
            ResolvedType = file,
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) => GlobalId.TryRead(c.GetArgument<string>("id"), AttachmentKind.FileType, out var id)
                ? await files.FindAsync(crm.Session, id, c.CancellationToken)
                : null),
        });
        context.Mutation.AddField(new FieldType
        {
            Name = "uploadFile",
            Description = "Stores a file sent with the request (multipart, see docs/files.md) as yours, pending: put its id on a record's attachment field to attach it. Its type is sniffed from its bytes and checked against the tenant's limits before anything is stored.",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(upload)) { Name = "file" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                if (crm.Session.Principal.UserId == CrmPrincipal.PublicUserId)
                {
                    return new UploadOutcome(null, [new CrmError(ErrorCodes.Forbidden, "Uploading needs a key.")]);
                }

                return new UploadOutcome(await files.StoreAsync(crm.Session, c.GetArgument<StagedFile>("file"), c.CancellationToken), []);
            }),
        });

        foreach (var graph in context.Entities.Values)
        {
            foreach (var field in graph.Entity.ActiveFields.Where(f => f.Type == CrmFieldType.Attachment))
            {
                var member = graph.Record.GetField(field.Name)!;
                var entity = graph.Entity.Name;
                var name = field.Name;
                member.ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(file));
                member.Resolver = Resolve.Async(async (c, crm) =>
                {
                    var record = (RecordData)c.Source!;
                    var ids = AttachmentKind.FileIds(record.Get(field));
                    return record.IsDeleted ? [] : await files.OfFieldAsync(crm.Session, entity, record.Id, name, ids, c.CancellationToken);
                });
            }
        }
    }

    private ObjectGraphType FileType(SharedTypes types) => SharedTypes.SourceObject("File", "A stored file: its metadata and a short-lived download link.",
        ("id", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(AttachmentKind.FileType, ((FileRow)s).Id)),
        ("name", SharedTypes.NonNull(types.String), s => ((FileRow)s).Name),
        ("contentType", SharedTypes.NonNull(types.String), s => ((FileRow)s).ContentType),
        ("size", SharedTypes.NonNull(types.Long), s => ((FileRow)s).Size),
        ("sha256", SharedTypes.NonNull(types.String), s => ((FileRow)s).Sha256),
        ("createdAt", SharedTypes.NonNull(types.DateTime), s => ((FileRow)s).CreatedAt),
        ("createdBy", types.Id, s => GlobalId.Encode(GlobalId.UserType, ((FileRow)s).CreatedBy)),
        ("url", SharedTypes.NonNull(types.String), s => links.UrlOf((FileRow)s)));

    private sealed record UploadOutcome(FileRow? File, IReadOnlyList<CrmError> Errors);
}
