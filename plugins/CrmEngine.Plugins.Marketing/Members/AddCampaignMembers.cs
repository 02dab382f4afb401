using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Members;

/// <summary>
/// <c>addCampaignMembers(campaignId, leadIds, contactIds, accountIds)</c>: adds people to a campaign
/// in one transaction, as targeted members. People already in it are left as they are and counted;
/// an id that names nothing the caller may see refuses the whole call.
/// </summary>
internal sealed class AddCampaignMembers : IPluginOperation
{
    public string Name => "addCampaignMembers";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Adds leads, contacts and accounts to a campaign as targeted members; those already in it are skipped and counted.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("campaignId", TypeRef.Id.NonNull()),
        new("leadIds", TypeRef.ListOf(TypeRef.Id)),
        new("contactIds", TypeRef.ListOf(TypeRef.Id)),
        new("accountIds", TypeRef.ListOf(TypeRef.Id)),
    ];

    public TypeRef Result => TypeRef.Object("CampaignMembersAdded",
        new FieldRef("campaign", TypeRef.Entity(CampaignEntity.Name).NonNull()),
        new FieldRef("added", TypeRef.ListOf(TypeRef.Entity(CampaignMemberEntity.Name)).NonNull(), "The new members, in the order given."),
        new FieldRef("alreadyMembers", TypeRef.Int.NonNull(), "How many of the people given were members already.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var campaign = await Writes.ExistingAsync(records, CampaignEntity.Name, context.RecordId("campaignId", CampaignEntity.Name), "campaignId", cancellationToken);
        if (CampaignStatuses.IsClosed(campaign.GetValue<string>("status")))
        {
            throw new OperationException(MarketingErrors.CampaignClosed, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; it takes no new members.", "campaignId");
        }

        var people = CampaignMemberEntity.Targets
            .SelectMany(target => Ids.List(context, target + "Ids", target).Distinct().Select(id => (Target: target, Id: id)))
            .ToList();
        if (people.Count == 0)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Name at least one lead, contact or account to add.", "leadIds");
        }

        var added = new List<CrmRecord>();
        var already = 0;
        foreach (var (target, id) in people)
        {
            await Writes.ExistingAsync(records, target, id, target + "Ids", cancellationToken);
            if ((await records.FindAsync(CampaignMemberEntity.Name, Condition.Eq("campaign", campaign.Id).And(Condition.Eq(target, id)), 1, cancellationToken)).Count > 0)
            {
                already++;
                continue;
            }

            added.Add(await Writes.RequireAsync(records.CreateAsync(CampaignMemberEntity.Name, new FieldValues { ["campaign"] = campaign.Id, [target] = id }, cancellationToken), target + "Ids"));
        }

        return new Dictionary<string, object?> { ["campaign"] = campaign, ["added"] = added, ["alreadyMembers"] = already };
    }
}
