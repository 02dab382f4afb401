using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary>The campaigns a report covers and their membership counts, read as the caller sees them.</summary>
internal sealed class CampaignCounts
{
    public static readonly OperationArgument CampaignIds = new("campaignIds", TypeRef.ListOf(TypeRef.Id), "Only these campaigns; every campaign when omitted.");

    private CampaignCounts(IReadOnlyList<CrmRecord> campaigns) => Campaigns = campaigns;

    /// <summary>The campaigns, by code.</summary>
    public IReadOnlyList<CrmRecord> Campaigns { get; }

    public Dictionary<Guid, int> Members { get; private set; } = [];

    public Dictionary<Guid, int> Responded { get; private set; } = [];

    /// <summary>Lead members (whether or not they responded): what "cost per lead" divides by.</summary>
    public Dictionary<Guid, int> Leads { get; private set; } = [];

    /// <summary>Lead members who responded and whose lead became marketing-qualified (stamped <c>mqlAt</c> by scoring).</summary>
    public Dictionary<Guid, int> Mql { get; private set; } = [];

    /// <summary>Lead members who responded and whose lead sales qualified (qualified or converted).</summary>
    public Dictionary<Guid, int> Qualified { get; private set; } = [];

    public static async Task<CampaignCounts> LoadAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var ids = Ids.List(context, "campaignIds", CampaignEntity.Name);
        foreach (var id in ids)
        {
            await Writes.ExistingAsync(records, CampaignEntity.Name, id, "campaignIds", cancellationToken);
        }

        var scope = ids.Count > 0 ? Condition.In("id", ids.Cast<object?>()) : null;
        var campaigns = new List<CrmRecord>();
        await foreach (var campaign in records.QueryAllAsync(CampaignEntity.Name, scope, [SortBy.Asc("code")], cancellationToken))
        {
            campaigns.Add(campaign);
        }

        var of = scope is null ? null : Condition.Through("campaign", scope);
        return new CampaignCounts(campaigns)
        {
            Members = await CountAsync(records, of, cancellationToken),
            Responded = await CountAsync(records, And(of, Condition.IsNotNull("respondedAt")), cancellationToken),
            Leads = await CountAsync(records, And(of, Condition.IsNotNull("lead")), cancellationToken),
            Mql = await CountAsync(records, And(of, Condition.IsNotNull("respondedAt").And(Condition.Through("lead", Condition.IsNotNull("mqlAt")))), cancellationToken),
            Qualified = await CountAsync(records, And(of, Condition.IsNotNull("respondedAt").And(Condition.Through("lead", Condition.In("status", ["qualified", "converted"])))), cancellationToken),
        };
    }

    private static Condition And(Condition? scope, Condition condition) => scope is null ? condition : scope.And(condition);

    private static async Task<Dictionary<Guid, int>> CountAsync(IRecordApi records, Condition? where, CancellationToken cancellationToken)
    {
        var result = await records.AggregateAsync(CampaignMemberEntity.Name, new AggregateRequest { Where = where, GroupBy = [new Grouping("campaign")], GroupLimit = 10000 }, cancellationToken);
        return result.Groups.Where(g => g.Key[0] is Guid).ToDictionary(g => (Guid)g.Key[0]!, g => (int)g.Count);
    }
}
