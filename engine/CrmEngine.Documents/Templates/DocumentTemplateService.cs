using System.Text;
using CrmEngine.Documents.Docx;
using CrmEngine.Documents.Merge;
using CrmEngine.Documents.Pdf;
using CrmEngine.Documents.Storage;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using Microsoft.EntityFrameworkCore;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.Documents.Templates;

/// <summary>
/// What an admin (or a plugin seeding its defaults) saves as one language variant of a document
/// template: a .docx file's bytes (<paramref name="Docx"/>) or a PDF layout's JSON (<paramref name="PdfLayout"/>), one of the two.
/// </summary>
public sealed record DocumentTemplateInput(string? Name, string? Language, string? Entity, string? Field, byte[]? Docx, string? PdfLayout);

/// <summary>
/// A tenant's document templates: one row per name and language, saved only when the entity and its
/// attachment field exist and the content is a Word document or a valid PDF layout (TEMPLATE_INVALID
/// otherwise, nothing saved). Listing and changing them needs admin rights.
/// </summary>
public sealed class DocumentTemplateService(TimeProvider time)
{
    /// <summary>The largest template accepted (a .docx with a logo or two).</summary>
    public const int MaxTemplateBytes = 5 * 1024 * 1024;

    public async Task<IReadOnlyList<DocumentTemplateRow>> ListAsync(CrmSession session, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<DocumentTemplateRow>().AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Language).ToListAsync(cancellationToken);
    }

    /// <summary>The language variants of a template, for generating (no admin rights needed).</summary>
    internal static async Task<List<DocumentTemplateRow>> VariantsAsync(CrmSession session, string name, CancellationToken cancellationToken)
    {
        // In an open write: a template a plugin seeded in it is not committed yet.
        await using var joined = JoinedContext.For(session);
        return await joined.Context.Set<DocumentTemplateRow>().AsNoTracking().Where(t => t.Name == name).ToListAsync(cancellationToken);
    }

    public async Task<DocumentTemplateRow> SaveAsync(CrmSession session, DocumentTemplateInput input, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        return await WriteAsync(session, input, replace: true, cancellationToken);
    }

    /// <summary>
    /// Saves a plugin's default template unless the tenant has that name and language already (an
    /// admin's edits are kept). Plugins call it with the caller's session: no admin rights needed.
    /// </summary>
    public Task<DocumentTemplateRow> EnsureAsync(CrmSession session, DocumentTemplateInput input, CancellationToken cancellationToken) =>
        WriteAsync(session, input, replace: false, cancellationToken);

    private async Task<DocumentTemplateRow> WriteAsync(CrmSession session, DocumentTemplateInput input, bool replace, CancellationToken cancellationToken)
    {
        var (format, content) = Validate(session, input);
        await using var joined = JoinedContext.For(session);
        var context = joined.Context;
        var row = await context.Set<DocumentTemplateRow>().AsTracking().FirstOrDefaultAsync(t => t.Name == input.Name && t.Language == input.Language, cancellationToken);
        if (row is not null && !replace)
        {
            return row;
        }

        if (row is null)
        {
            row = new DocumentTemplateRow { Id = Guid.CreateVersion7(), Name = input.Name!.Trim(), Language = input.Language! };
            context.Add(row);
        }

        row.Entity = input.Entity!;
        row.Field = input.Field!;
        row.Format = format;
        row.Content = content;
        row.UpdatedAt = time.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        context.Entry(row).State = EntityState.Detached;
        return row;
    }

    /// <summary>Deletes every language variant of a template; returns how many there were.</summary>
    public async Task<int> DeleteAsync(CrmSession session, string name, CancellationToken cancellationToken)
    {
        RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<DocumentTemplateRow>().Where(t => t.Name == name).ExecuteDeleteAsync(cancellationToken);
    }

    private static (string Format, byte[] Content) Validate(CrmSession session, DocumentTemplateInput input)
    {
        var errors = new List<CrmError>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A template needs a name (at most 100 characters).", "name"));
        }

        if (input.Language is not { } language || !LocaleFormat.Languages.Contains(language))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidValue, $"The language is one of {string.Join(", ", LocaleFormat.Languages)}.", "language"));
        }

        if (input.Entity is not { } entity || session.Metadata.Find(entity) is not { } definition)
        {
            errors.Add(new CrmError(ErrorCodes.UnknownEntity, $"There is no entity '{input.Entity}'.", "entity"));
        }
        else if (input.Field is null || definition.FindField(input.Field)?.Type != CrmFieldType.Attachment)
        {
            errors.Add(new CrmError(ErrorCodes.UnknownField, $"'{entity}.{input.Field}' is not an attachment field: documents are stored in one.", "field"));
        }

        var (format, content, error) = Content(input);
        if (error is not null)
        {
            errors.Add(new CrmError(ErrorCodes.TemplateInvalid, error, input.Docx is null ? "pdfLayout" : "file"));
        }

        return errors.Count > 0 ? throw new CrmException(errors) : (format, content);
    }

    private static (string Format, byte[] Content, string? Error) Content(DocumentTemplateInput input) => (input.Docx, input.PdfLayout) switch
    {
        (null, null) or (not null, not null) => (string.Empty, [], "Give either a .docx file or a PDF layout."),
        ({ Length: > MaxTemplateBytes }, _) => (string.Empty, [], $"A template holds at most {MaxTemplateBytes / (1024 * 1024)} MB."),
        ({ } docx, _) => DocxFiller.IsWordDocument(docx) ? (DocumentFormats.Docx, docx, null) : (string.Empty, [], "The file is not a Word document (.docx)."),
        (_, { } layout) => PdfLayout.Parse(layout).Error is { } error ? (string.Empty, [], error) : (DocumentFormats.Pdf, Encoding.UTF8.GetBytes(layout), null),
    };

    private static void RequireAdmin(CrmSession session)
    {
        if (!session.Permissions.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, "Document templates need admin rights.");
        }
    }
}
