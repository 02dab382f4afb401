using CrmEngine.Plugins.Sales.Contracts;
using CrmEngine.Plugins.Sales.Quotes;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Documents;

/// <summary><c>generateQuoteDocument(id, language)</c>: the quote as a PDF (报价单), stored in its document field.</summary>
internal sealed class GenerateQuoteDocument : DocumentOperation
{
    public GenerateQuoteDocument()
        : base("generateQuoteDocument", QuoteEntities.Quote, SalesDocuments.QuoteTemplate, "Generates the quote's PDF (template sales.quote, en or zh-CN) and stores it in the quote's document field.")
    {
    }
}

/// <summary><c>generateContractDocument(id, language)</c>: the contract as a PDF (合同), stored in its document field.</summary>
internal sealed class GenerateContractDocument : DocumentOperation
{
    public GenerateContractDocument()
        : base("generateContractDocument", ContractEntities.Contract, SalesDocuments.ContractTemplate, "Generates the contract's PDF (template sales.contract, en or zh-CN) and stores it in the contract's document field.")
    {
    }
}

/// <summary>A mutation that generates a record's document; it answers with the record (its document field lists the file) and the file's name.</summary>
internal abstract class DocumentOperation(string name, string entity, string template, string description) : IPluginOperation
{
    public string Name => name;

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => description;

    public IReadOnlyList<OperationArgument> Arguments { get; } =
        [new("id", TypeRef.Id.NonNull(), "The record."), new("language", TypeRef.String, "en or zh-CN; by default the record's language, else English.")];

    public TypeRef Result => TypeRef.Object(char.ToUpperInvariant(name[0]) + name[1..] + "Result",
        new FieldRef(entity, TypeRef.Entity(entity).NonNull()),
        new FieldRef("fileName", TypeRef.String.NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var id = context.RecordId("id", entity);
        var fileName = await SalesDocuments.GenerateAsync(context, entity, id, template, cancellationToken);
        return new Dictionary<string, object?> { [entity] = await context.Records.GetAsync(entity, id, cancellationToken), ["fileName"] = fileName };
    }
}
