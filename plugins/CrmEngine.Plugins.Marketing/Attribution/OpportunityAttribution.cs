using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary><c>opportunityAttribution(id, model)</c>: the touches that count for one opportunity and each one's share, for checking the campaign figures by hand.</summary>
internal sealed class OpportunityAttribution : IPluginOperation
{
    public string Name => "opportunityAttribution";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The campaign touches that count for an opportunity (responses up to its creation), oldest first, with their W-shaped roles and each one's percentage and amount under the model.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull()), new("model", Models.Type.NonNull())];

    public TypeRef Result => TypeRef.Object("OpportunityAttribution",
        new FieldRef("opportunity", TypeRef.Entity("opportunity").NonNull()),
        new FieldRef("model", Models.Type.NonNull()),
        new FieldRef("touches", TypeRef.ListOf(TypeRef.Object("AttributedTouch",
            new FieldRef("campaign", TypeRef.Entity(CampaignEntity.Name)),
            new FieldRef("member", TypeRef.Entity(CampaignMemberEntity.Name)),
            new FieldRef("respondedAt", TypeRef.DateTime.NonNull()),
            new FieldRef("roles", TypeRef.ListOf(TypeRef.String).NonNull(), "FIRST, LEAD_CREATION, OPPORTUNITY_CREATION: the W-shaped roles the touch holds."),
            new FieldRef("percent", TypeRef.Decimal.NonNull(), "Its share of the credit in percent, to 4 places."),
            new FieldRef("amount", TypeRef.Decimal.NonNull(), "Its share of the opportunity's amount, to the cent; the shares add up to the amount."))).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var opportunity = await Writes.ExistingAsync(records, "opportunity", context.RecordId("id", "opportunity"), "id", cancellationToken);
        var model = context.Argument<string>("model") ?? string.Empty;
        var influence = await Influence.LoadAsync(records, cancellationToken);
        var credit = await Credit.LoadAsync(records, cancellationToken);
        var touches = new List<Dictionary<string, object?>>();
        foreach (var share in credit.Split(new Influenced(opportunity, influence.For(opportunity)), model))
        {
            touches.Add(new Dictionary<string, object?>
            {
                ["campaign"] = await records.GetAsync(CampaignEntity.Name, share.Touch.CampaignId, cancellationToken),
                ["member"] = await records.GetAsync(CampaignMemberEntity.Name, share.Touch.MemberId, cancellationToken),
                ["respondedAt"] = share.Touch.At,
                ["roles"] = share.Roles,
                ["percent"] = share.Percent,
                ["amount"] = share.Amount,
            });
        }

        return new Dictionary<string, object?> { ["opportunity"] = opportunity, ["model"] = model, ["touches"] = touches };
    }
}
