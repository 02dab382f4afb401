using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;
using EngineOperation = CrmEngine.Engine.Records.RecordOperation;
using SdkAggregate = CrmEngine.Sdk.Records.Aggregate;
using SdkRelatedMatch = CrmEngine.Sdk.Records.RelatedMatch;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>Translations between the SDK's contract types and the engine's own.</summary>
internal static class SdkMapping
{
    public static RecordOperations ToSdk(EngineOperation operation) => operation switch
    {
        EngineOperation.Create => RecordOperations.Create,
        EngineOperation.Update => RecordOperations.Update,
        EngineOperation.Delete => RecordOperations.Delete,
        _ => RecordOperations.Restore,
    };

    public static SdkError ToSdk(CrmError error) => new(error.Code, error.Message, error.Field);

    public static CrmError ToEngine(SdkError error) => new(error.Code, error.Message, error.Field);

    /// <summary>A condition as the engine's filter tree; the engine checks operators against field types as it does for GraphQL.</summary>
    public static RecordFilter ToEngine(Condition condition) => condition switch
    {
        Condition.Comparison c => new FieldFilter(c.Field, ToEngine(c.Operator), c.Value switch
        {
            RelativeDate range => new RelativeDateRange(Enum.Parse<Engine.Records.Querying.RelativePeriod>(range.Period.ToString()), range.Days, range.TimeZone),
            _ => c.Value,
        }),
        Condition.AllOf all => new AndFilter(all.Conditions.Select(ToEngine).ToList()),
        Condition.AnyOf any => new OrFilter(any.Conditions.Select(ToEngine).ToList()),
        Condition.Negation not => new NotFilter(ToEngine(not.Inner)),
        Condition.LookupMatch lookup => new LookupFilter(lookup.Lookup, ToEngine(lookup.Inner)),
        Condition.RelatedRecords related => new RelatedFilter(related.Entity, related.Lookup, related.Match switch
        {
            SdkRelatedMatch.Some => Engine.Records.Querying.RelatedMatch.Some,
            SdkRelatedMatch.None => Engine.Records.Querying.RelatedMatch.None,
            _ => Engine.Records.Querying.RelatedMatch.Every,
        }, related.Inner is null ? new AndFilter([]) : ToEngine(related.Inner)),
        _ => throw new ArgumentOutOfRangeException(nameof(condition)),
    };

    private static FilterOperator ToEngine(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Eq => FilterOperator.Eq,
        ComparisonOperator.Ne => FilterOperator.Ne,
        ComparisonOperator.In => FilterOperator.In,
        ComparisonOperator.NotIn => FilterOperator.NotIn,
        ComparisonOperator.IsNull => FilterOperator.IsNull,
        ComparisonOperator.Lt => FilterOperator.Lt,
        ComparisonOperator.Lte => FilterOperator.Lte,
        ComparisonOperator.Gt => FilterOperator.Gt,
        ComparisonOperator.Gte => FilterOperator.Gte,
        ComparisonOperator.Between => FilterOperator.Between,
        ComparisonOperator.Contains => FilterOperator.Contains,
        ComparisonOperator.StartsWith => FilterOperator.StartsWith,
        ComparisonOperator.EndsWith => FilterOperator.EndsWith,
        ComparisonOperator.Relative => FilterOperator.Relative,
        ComparisonOperator.Has => FilterOperator.Has,
        ComparisonOperator.HasAny => FilterOperator.HasAny,
        ComparisonOperator.HasAll => FilterOperator.HasAll,
        _ => throw new CrmException(ErrorCodes.InvalidOperator, $"Operator {op} is not known to this engine."),
    };

    public static SortKey ToEngine(SortBy sort) =>
        new(sort.Field.Split('.'), sort.Descending ? SortDirection.Desc : SortDirection.Asc);

    public static AggregateQuery ToEngine(string entity, AggregateRequest request, int groupLimit) => new(entity)
    {
        Filter = request.Where is null ? null : ToEngine(request.Where),
        GroupBy = request.GroupBy.Select(g => new GroupBySpec(g.Field, g.Bucket is { } bucket ? Enum.Parse<Engine.Records.Querying.Aggregation.DateBucket>(bucket.ToString()) : null, g.TimeZone)).ToList(),
        Values = request.Values.Select(ToEngine).ToList(),
        GroupLimit = groupLimit,
        Order = Enum.Parse<Engine.Records.Querying.Aggregation.GroupOrder>(request.Order.ToString()),
    };

    public static AggregateSpec ToEngine(SdkAggregate aggregate) =>
        new(Enum.Parse<Engine.Records.Querying.Aggregation.AggregateFunction>(aggregate.Function.ToString()), aggregate.Field);

    public static AggregateGroup ToSdk(AggregateRow row, IReadOnlyList<SdkAggregate> requested) =>
        new(row.Key, row.Count, requested.Distinct().ToDictionary(a => a, a => ToSdk(a, row.Values.GetValueOrDefault(ToEngine(a)))));

    /// <summary>The SDK gives sums as decimals: one that a decimal can't hold exactly is refused, never rounded.</summary>
    private static object? ToSdk(SdkAggregate aggregate, object? value) => value switch
    {
        ExactDecimal sum when sum.TryToDecimal(out var exact) => exact,
        ExactDecimal => throw new CrmException(ErrorCodes.AggregateOverflow, $"The sum of '{aggregate.Field}' needs more digits than a decimal holds (28 to 29).", aggregate.Field),
        _ => value,
    };

    public static ICrmIdentity ToSdk(CrmPrincipal principal) => new Identity(principal);

    private sealed class Identity(CrmPrincipal principal) : ICrmIdentity
    {
        public string TenantId => principal.TenantId;

        public Guid UserId => principal.UserId;

        public IReadOnlyList<string> Roles => principal.Roles;

        public bool IsAdmin => principal.IsAdmin;
    }
}

/// <summary>An engine record as the SDK presents it to plugins.</summary>
internal sealed class RecordAdapter(RecordData record) : CrmRecord
{
    public RecordData Record { get; } = record;

    public override string Entity => Record.Entity.Name;

    public override Guid Id => Record.Id;

    public override long Version => Record.Version;

    public override DateTime CreatedAt => Record.CreatedAt;

    public override DateTime UpdatedAt => Record.UpdatedAt;

    public override Guid? OwnerId => Record.OwnerId;

    public override object? GetValue(string field) => field switch
    {
        "id" => Id,
        "version" => Version,
        "createdAt" => CreatedAt,
        "updatedAt" => UpdatedAt,
        "ownerId" => OwnerId,
        "createdBy" => Record.CreatedBy,
        "updatedBy" => Record.UpdatedBy,
        _ => Record.Get(field),
    };
}
