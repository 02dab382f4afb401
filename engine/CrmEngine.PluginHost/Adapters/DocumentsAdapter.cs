using CrmEngine.Documents;
using CrmEngine.Documents.Templates;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Sdk.Documents;
using CrmEngine.Sdk.Records;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// The SDK's generated documents over the engine's, for one session: documents are generated and
/// stored with the caller's rights; refusals come back as the outcome's errors, as record writes' do.
/// </summary>
internal sealed class DocumentsAdapter(CrmSession session, DocumentGenerator generator, DocumentTemplateService templates) : IDocuments
{
    public async Task<DocumentOutcome> GenerateAsync(DocumentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var file = await generator.GenerateAsync(session, request.Template, request.Entity, request.RecordId, request.Language, cancellationToken);
            return new DocumentOutcome(file.Id, file.Name, []);
        }
        catch (CrmException e)
        {
            return new DocumentOutcome(null, null, e.Errors.Select(SdkMapping.ToSdk).ToList());
        }
    }

    public async Task<IReadOnlyList<SdkError>> EnsureTemplateAsync(DocumentTemplate defaults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        try
        {
            await templates.EnsureAsync(session, new DocumentTemplateInput(defaults.Name, defaults.Language, defaults.Entity, defaults.Field, defaults.Docx?.ToArray(), defaults.PdfLayout), cancellationToken);
            return [];
        }
        catch (CrmException e)
        {
            return e.Errors.Select(SdkMapping.ToSdk).ToList();
        }
    }
}
