using System.Text;
using CrmEngine.Documents.Docx;
using CrmEngine.Documents.Merge;
using CrmEngine.Documents.Pdf;
using CrmEngine.Documents.Storage;
using CrmEngine.Documents.Templates;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Files;
using CrmEngine.Files.Storage;
using Microsoft.Extensions.Options;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.Documents;

/// <summary>
/// Generates a document from a template and a record, and stores it as an attachment of the record
/// through the files service (rights, hooks, audit and the outbox apply; a refused write keeps
/// nothing). The template's language variant is the one asked for, else the record's language (a
/// <c>language</c> field on the record, else on a record it looks up, such as its customer), else
/// English. Refusals are typed: the record can't be read (NOT_FOUND, as for a made-up id), no such
/// template (TEMPLATE_NOT_FOUND), a template of another entity (TEMPLATE_WRONG_ENTITY), the
/// caller may not update the record's attachment field (FORBIDDEN).
/// </summary>
public sealed class DocumentGenerator(RecordReader reader, DocumentData data, FilesService files, IOptions<DocumentOptions> options)
{
    /// <summary>The field a record (or a record it looks up) gives its language in.</summary>
    public const string LanguageField = "language";

    public async Task<FileRow> GenerateAsync(CrmSession session, string template, string entity, Guid recordId, string? language, CancellationToken cancellationToken)
    {
        var record = session.Metadata.Find(entity) is null ? null : await reader.GetAsync(session, entity, recordId, includeDeleted: false, cancellationToken);
        if (record is null)
        {
            throw new CrmException(ErrorCodes.NotFound, "There is no record with that id.", "recordId");
        }

        var variants = await DocumentTemplateService.VariantsAsync(session, template, cancellationToken);
        if (variants.Count == 0)
        {
            throw new CrmException(ErrorCodes.TemplateNotFound, $"There is no document template '{template}'.", "template");
        }

        var wanted = LocaleFormat.Normalize(language) ?? await LanguageOfAsync(session, record, cancellationToken) ?? LocaleFormat.English;
        var chosen = variants.FirstOrDefault(v => v.Language == wanted) ?? variants.FirstOrDefault(v => v.Language == LocaleFormat.English) ?? variants[0];
        if (chosen.Entity != entity)
        {
            throw new CrmException(ErrorCodes.TemplateWrongEntity, $"The template '{template}' is for {chosen.Entity} records, not {entity}.", "template");
        }

        var values = await data.BuildAsync(session, record, chosen.Language, cancellationToken);
        var name = FileName(template, record, chosen.Format);
        var content = Render(chosen, values, name);
        using var stream = new MemoryStream(content, writable: false);
        var (file, result) = await files.AttachAsync(session, entity, recordId, chosen.Field, stream, name, cancellationToken);
        return file ?? throw new CrmException(result.Errors);
    }

    private byte[] Render(DocumentTemplateRow template, Dictionary<string, object?> values, string title)
    {
        if (template.Format == DocumentFormats.Docx)
        {
            return DocxFiller.Fill(template.Content, values);
        }

        if (!CjkFontResolver.TryInstall(options.Value.Font, options.Value.FontFamily))
        {
            throw new CrmException(ErrorCodes.DocumentFontMissing, "This server has no font for PDF documents (see docs/generated-documents.md).");
        }

        var layout = PdfLayout.Parse(Encoding.UTF8.GetString(template.Content)).Layout!;
        return PdfRenderer.Render(layout, values, title);
    }

    /// <summary>The record's language field, else the first record it looks up that has one.</summary>
    private async Task<string?> LanguageOfAsync(CrmSession session, RecordData record, CancellationToken cancellationToken)
    {
        if (LocaleFormat.Normalize(record.Get(LanguageField) as string) is { } own)
        {
            return own;
        }

        foreach (var lookup in record.Entity.ActiveFields.Where(f => f.Type == CrmFieldType.Lookup && f.LookupEntity is not null))
        {
            if (record.Get(lookup) is Guid id && session.Metadata.Find(lookup.LookupEntity!)?.FindField(LanguageField) is not null
                && await reader.GetAsync(session, lookup.LookupEntity!, id, includeDeleted: false, cancellationToken) is { } related
                && LocaleFormat.Normalize(related.Get(LanguageField) as string) is { } theirs)
            {
                return theirs;
            }
        }

        return null;
    }

    /// <summary>"quote-Q-0001.pdf": the template's name and the record's display value (its id when it has none).</summary>
    private static string FileName(string template, RecordData record, string format)
    {
        var known = record.Entity.DisplayField is { } display ? record.Get(display) as string : null;
        var label = string.IsNullOrWhiteSpace(known) ? record.Id.ToString("N")[..12] : known;
        var safe = new string(label.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{template}-{safe}.{format}";
    }
}
