using CrmEngine.Documents.Storage;
using CrmEngine.Documents.Templates;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Files.Storage;
using CrmEngine.Files.Uploads;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Documents.Api;

/// <summary>
/// Generated documents in every tenant's schema: <c>generateDocument</c> for anyone who may update the
/// record's attachment field; <c>documentTemplates</c>, <c>saveDocumentTemplate</c> (a .docx sent as a
/// multipart upload, or a PDF layout) and <c>deleteDocumentTemplate</c> for admins. The <c>File</c> and
/// <c>Upload</c> types are the files service's.
/// </summary>
internal sealed class DocumentsContributor(DocumentGenerator generator, DocumentTemplateService templates) : ISchemaContributor
{
    // After the files (40), whose File and Upload types it names.
    public int Order => 41;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var text = SharedTypes.NonNull(types.String);
        var file = new GraphQLTypeReference("File");
        var format = new EnumerationGraphType { Name = "DocumentFormat", Description = "What a template produces." };
        format.Add("DOCX", DocumentFormats.Docx, "A Word document filled from a .docx template.");
        format.Add("PDF", DocumentFormats.Pdf, "A PDF laid out from a layout (title, fields, line table, totals).");
        var template = SharedTypes.SourceObject("DocumentTemplate", "One language variant of a document template.",
            ("name", text, s => ((DocumentTemplateRow)s).Name),
            ("language", text, s => ((DocumentTemplateRow)s).Language),
            ("entity", text, s => ((DocumentTemplateRow)s).Entity),
            ("field", text, s => ((DocumentTemplateRow)s).Field),
            ("format", SharedTypes.NonNull(format), s => ((DocumentTemplateRow)s).Format),
            ("size", SharedTypes.NonNull(types.Int), s => ((DocumentTemplateRow)s).Content.Length),
            ("updatedAt", SharedTypes.NonNull(types.DateTime), s => ((DocumentTemplateRow)s).UpdatedAt));
        var templatePayload = Payload("SaveDocumentTemplatePayload", ("template", template, o => o.Template), types);
        var deletePayload = Payload("DeleteDocumentTemplatePayload", ("deleted", SharedTypes.NonNull(types.Int), o => o.Deleted), types);
        var generatePayload = Payload("GenerateDocumentPayload", ("file", file, o => o.File), types);
        var templateInput = SharedTypes.Input("DocumentTemplateInput", "One language variant (en or zh-CN) of a document template, replacing the one saved under the same name and language. A DOCX template is the file sent with the mutation; a PDF template is pdfLayout (JSON, see docs/generated-documents.md).",
            ("name", text), ("language", text), ("entity", text), ("field", text), ("pdfLayout", types.String));
        var generateInput = SharedTypes.Input("GenerateDocumentInput", "Which template to fill from which record; language (en or zh-CN) overrides the record's own.",
            ("template", text), ("recordId", SharedTypes.NonNull(types.Id)), ("language", types.String));

        context.Query.AddField(new FieldType
        {
            Name = "documentTemplates",
            Description = "The tenant's document templates, by name and language. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(template)),
            Resolver = Resolve.Async(async (c, crm) => await templates.ListAsync(crm.Session, c.CancellationToken)),
        });
        context.AddAdminMutation("saveDocumentTemplate", "Saves one language variant of a document template: a .docx sent as file (a multipart request, see docs/files.md), or input.pdfLayout. Refused with TEMPLATE_INVALID when the file is not a Word document or the layout is not valid.", templatePayload,
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(templateInput)) { Name = "input" }, new QueryArgument(new GraphQLTypeReference("Upload")) { Name = "file" }),
            async (c, crm) => new DocumentsOutcome(Template: await templates.SaveAsync(crm.Session, await InputAsync(c), c.CancellationToken)),
            errors => new DocumentsOutcome(Errors: errors));
        context.AddAdminMutation("deleteDocumentTemplate", "Deletes every language variant of a document template.", deletePayload,
            new QueryArguments(new QueryArgument(text) { Name = "name" }),
            async (c, crm) => new DocumentsOutcome(Deleted: await templates.DeleteAsync(crm.Session, c.GetArgument<string>("name"), c.CancellationToken)),
            errors => new DocumentsOutcome(Errors: errors));
        context.Mutation.AddField(new FieldType
        {
            Name = "generateDocument",
            Description = "Fills a template from a record and stores the document as an attachment of the record (the template's field). Refused, nothing stored, for a record the caller can't read (NOT_FOUND) or update (FORBIDDEN), an unknown template (TEMPLATE_NOT_FOUND) or one for another entity (TEMPLATE_WRONG_ENTITY).",
            ResolvedType = SharedTypes.NonNull(generatePayload),
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(generateInput)) { Name = "input" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    var input = c.GetArgument<Dictionary<string, object?>>("input");
                    if (!GlobalId.TryDecode((string)input["recordId"]!, out var entity, out var id))
                    {
                        throw new CrmException(ErrorCodes.InvalidId, "That is not a record id.", "recordId");
                    }

                    return new DocumentsOutcome(File: await generator.GenerateAsync(crm.Session, (string)input["template"]!, entity, id, input.GetValueOrDefault("language") as string, c.CancellationToken));
                }
                catch (CrmException e)
                {
                    return new DocumentsOutcome(Errors: e.Errors);
                }
            }),
        });
    }

    private static async Task<DocumentTemplateInput> InputAsync(IResolveFieldContext context)
    {
        var input = context.GetArgument<Dictionary<string, object?>>("input");
        byte[]? docx = null;
        if (context.GetArgument<StagedFile?>("file") is { } staged)
        {
            if (staged.Size > DocumentTemplateService.MaxTemplateBytes)
            {
                throw new CrmException(ErrorCodes.TemplateInvalid, $"A template holds at most {DocumentTemplateService.MaxTemplateBytes / (1024 * 1024)} MB.", "file");
            }

            await using var stream = staged.OpenRead();
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, context.CancellationToken);
            docx = buffer.ToArray();
        }

        return new DocumentTemplateInput(input.GetValueOrDefault("name") as string, input.GetValueOrDefault("language") as string,
            input.GetValueOrDefault("entity") as string, input.GetValueOrDefault("field") as string, docx, input.GetValueOrDefault("pdfLayout") as string);
    }

    private static ObjectGraphType Payload(string name, (string Name, IGraphType Type, Func<DocumentsOutcome, object?> Read) field, SharedTypes types) =>
        SharedTypes.SourceObject(name, "What the mutation did; userErrors say why it did nothing.",
            (field.Name, field.Type, s => field.Read((DocumentsOutcome)s)),
            ("userErrors", types.UserErrors, s => ((DocumentsOutcome)s).Errors));

    private sealed record DocumentsOutcome(DocumentTemplateRow? Template = null, int Deleted = 0, FileRow? File = null, IReadOnlyList<CrmError>? Errors = null)
    {
        public IReadOnlyList<CrmError> Errors { get; init; } = Errors ?? [];
    }
}
