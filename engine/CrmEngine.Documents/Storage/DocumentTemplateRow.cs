namespace CrmEngine.Documents.Storage;

/// <summary>
/// One language variant of a tenant's document template (crm_document_template): a DOCX file with
/// merge fields, or a PDF layout (JSON), for one entity, whose documents go to one attachment field.
/// </summary>
public sealed class DocumentTemplateRow
{
    public Guid Id { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>"en" or "zh-CN".</summary>
    public string Language { get; set; } = string.Empty;

    /// <summary>The entity whose records it is filled from.</summary>
    public string Entity { get; set; } = string.Empty;

    /// <summary>The entity's attachment field a generated document is stored in.</summary>
    public string Field { get; set; } = string.Empty;

    /// <summary><see cref="DocumentFormats.Docx"/> or <see cref="DocumentFormats.Pdf"/>.</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>The .docx file, or the PDF layout's JSON in UTF-8.</summary>
    public byte[] Content { get; set; } = [];

    public DateTime UpdatedAt { get; set; }
}

/// <summary>The formats a template produces.</summary>
public static class DocumentFormats
{
    public const string Docx = "docx";

    public const string Pdf = "pdf";
}
