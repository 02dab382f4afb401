using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Documents;

/// <summary>
/// A document to generate: a tenant's template (its name) filled from a record, in the template's
/// language variant for <see cref="Language"/>, else the record's language, else English.
/// </summary>
/// <param name="Template">The template's name.</param>
/// <param name="Entity">The record's entity (the template must be for it).</param>
/// <param name="RecordId">The record it is filled from and stored on.</param>
public sealed record DocumentRequest(string Template, string Entity, Guid RecordId)
{
    /// <summary>"en" or "zh-CN"; null for the record's own language.</summary>
    public string? Language { get; init; }
}

/// <summary>What <see cref="IDocuments.GenerateAsync"/> did: the stored file, or why nothing was stored.</summary>
/// <param name="FileId">The generated file's id (as the record's attachment field holds it); null when refused.</param>
/// <param name="FileName">Its name, such as "sales.quote-Q-0001.pdf"; null when refused.</param>
/// <param name="Errors">Why it was refused (TEMPLATE_NOT_FOUND, TEMPLATE_WRONG_ENTITY, NOT_FOUND, FORBIDDEN, ...); empty when stored.</param>
public sealed record DocumentOutcome(Guid? FileId, string? FileName, IReadOnlyList<SdkError> Errors)
{
    /// <summary>True when the document was stored.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// A template a plugin ships as a default: one language variant, for one entity, whose documents
/// go to one of its attachment fields. Give a PDF layout (JSON: title, fields, table, totals, footer;
/// docs/generated-documents.md) or a .docx file's bytes with merge fields, one of the two.
/// </summary>
/// <param name="Name">The template's name; prefix it with the plugin's id ("sales.quote").</param>
/// <param name="Language">"en" or "zh-CN".</param>
/// <param name="Entity">The entity it is filled from.</param>
/// <param name="Field">The entity's attachment field the documents are stored in.</param>
public sealed record DocumentTemplate(string Name, string Language, string Entity, string Field)
{
    /// <summary>A PDF layout's JSON.</summary>
    public string? PdfLayout { get; init; }

    /// <summary>A .docx file's bytes.</summary>
    public IReadOnlyList<byte>? Docx { get; init; }
}

/// <summary>
/// Generated documents (docs/generated-documents.md): fills a tenant's template from a record and
/// stores the document as the record's attachment, with the caller's rights.
/// </summary>
public interface IDocuments
{
    /// <summary>Generates a document and attaches it to the record (the caller must be able to update the record's attachment field).</summary>
    Task<DocumentOutcome> GenerateAsync(DocumentRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a default template unless the tenant has that name and language already (an admin's
    /// edited template is kept); the errors when it is not a valid template, else empty.
    /// </summary>
    Task<IReadOnlyList<SdkError>> EnsureTemplateAsync(DocumentTemplate defaults, CancellationToken cancellationToken = default);
}
