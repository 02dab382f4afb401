using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Analytics;

/// <summary>
/// The accounts an analysis covers: one account (<c>accountId</c>), a filter in the engine's filter
/// language as JSON (<c>filter</c>), a marketing segment of accounts read by entity name
/// (<c>segmentId</c>: a dynamic segment's filter, or a static one's members), or every account the
/// caller may read. <see cref="Where"/> is null for all accounts; the caller's row rights apply to
/// every read the analysis makes, so a rep's figures cover the rep's accounts.
/// </summary>
internal sealed record CustomerSet(Condition? Where)
{
    public const string Segment = "segment";

    public static readonly OperationArgument[] Arguments =
    [
        new("accountId", TypeRef.Id, "One account."),
        new("filter", TypeRef.String, "Accounts matching a filter in the engine's filter language, as JSON (the GraphQL accounts filter), e.g. {\"industry\": {\"eq\": \"manufacturing\"}}."),
        new("segmentId", TypeRef.Id, "The accounts of a marketing segment (客户细分), when marketing is enabled."),
    ];

    public static async Task<CustomerSet> ReadAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var given = Arguments.Select(a => a.Name).Where(n => context.Arguments.GetValueOrDefault(n) is string { Length: > 0 }).ToList();
        if (given.Count > 1)
        {
            throw new OperationException(SalesErrors.InvalidInput, $"Give one of accountId, filter and segmentId, not {string.Join(" and ", given)}.", given[1]);
        }

        return given.FirstOrDefault() switch
        {
            "accountId" => await OneAsync(context, cancellationToken),
            "filter" => new CustomerSet(ConditionJson.Parse(context.Argument<string>("filter"), SalesErrors.InvalidInput, "filter")),
            "segmentId" => await SegmentAsync(context, cancellationToken),
            _ => new CustomerSet((Condition?)null),
        };
    }

    /// <summary>This condition on another entity's lookup to the account (orders, payments, opportunities).</summary>
    public Condition? Through(string lookup) => Where is null ? null : Condition.Through(lookup, Where);

    /// <summary>The set's condition and another one.</summary>
    public Condition And(Condition other) => Where is null ? other : Where.And(other);

    private static async Task<CustomerSet> OneAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var id = context.RecordId("accountId", AccountEntity.Name);
        _ = await context.Records.GetAsync(AccountEntity.Name, id, cancellationToken)
            ?? throw new OperationException(SalesErrors.NotFound, "There is no such account (or you may not see it).", "accountId");
        return new CustomerSet(Condition.Eq("id", id));
    }

    private static async Task<CustomerSet> SegmentAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        if (!context.Records.HasEntity(Segment))
        {
            throw new OperationException(SalesErrors.InvalidInput, "Segments come with the marketing module, which this tenant has not enabled; give a filter instead.", "segmentId");
        }

        var id = context.RecordId("segmentId", Segment);
        var segment = await context.Records.GetAsync(Segment, id, cancellationToken)
            ?? throw new OperationException(SalesErrors.NotFound, "There is no such segment (or you may not see it).", "segmentId");
        if (segment.GetValue<string>("entity") != AccountEntity.Name)
        {
            throw new OperationException(SalesErrors.InvalidInput, "The segment is not a segment of accounts.", "segmentId");
        }

        return segment.GetValue<string>("kind") == "static"
            ? new CustomerSet(Condition.Related("segmentMember", "account", RelatedMatch.Some, Condition.Eq("segment", id)))
            : new CustomerSet(ConditionJson.Parse(segment.GetValue<string>("filter"), SalesErrors.InvalidInput, "segmentId"));
    }
}
