using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Partners;

/// <summary>
/// mutation registerDeal(partnerId: ID!, title: String!): Deal — refuses with PARTNER_LIMIT on
/// partnerId when the partner has two deals, and passes on the validator's refusals of the write.
/// </summary>
public sealed class RegisterDeal : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "registerDeal";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Registers a deal through a partner.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("partnerId", TypeRef.Id.NonNull()), new("title", TypeRef.String.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Entity("deal");

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var partnerId = context.RecordId("partnerId", "partner");
        if (await context.Records.CountAsync("deal", Condition.Eq("partner", partnerId), cancellationToken) >= 2)
        {
            throw new OperationException("PARTNER_LIMIT", "The partner already has two deals.", "partnerId");
        }

        var outcome = await context.Records.CreateAsync("deal", new Dictionary<string, object?> { ["title"] = context.Argument<string>("title"), ["partner"] = partnerId }, cancellationToken);
        return outcome.Succeeded ? outcome.Record : throw new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, outcome.Errors[0].Field == "partner" ? "partnerId" : outcome.Errors[0].Field);
    }
}

/// <summary>query partnerCard(id: ID!): PartnerCard — a custom result type carrying the partner's global id.</summary>
public sealed class PartnerCard : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "partnerCard";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "A partner's card.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Object("PartnerCard", new FieldRef("partnerId", TypeRef.Id.NonNull()), new FieldRef("title", TypeRef.String.NonNull()));

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var partner = await context.Records.GetAsync("partner", context.RecordId("id", "partner"), cancellationToken)
            ?? throw new OperationException("NOT_FOUND", "There is no such partner.", "id");
        return new Dictionary<string, object?>
        {
            ["partnerId"] = RecordIds.GlobalId(partner.Entity, partner.Id),
            ["title"] = $"Partner {partner.GetValue<string>("name")}",
        };
    }
}
