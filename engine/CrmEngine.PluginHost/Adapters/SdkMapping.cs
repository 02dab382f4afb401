using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;
using EngineOperation = CrmEngine.Engine.Records.RecordOperation;
using SdkAggregate = CrmEngine.Sdk.Records.Aggregate;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// Translations where the engine's types genuinely differ from the SDK's: a write is one operation
/// (the SDK's hooks take flags), engine errors and records carry more than plugins see, sort keys
/// place empty values, and aggregate sums stay exact until the SDK's decimals must hold them.
/// Conditions, relative dates and aggregate requests need none: the engine uses the SDK's own.
/// </summary>
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

    public static SortKey ToEngine(SortBy sort) =>
        new(sort.Field.Split('.'), sort.Descending ? SortDirection.Desc : SortDirection.Asc);

    public static AggregateGroup ToSdk(AggregateRow row, IReadOnlyList<SdkAggregate> requested) =>
        new(row.Key, row.Count, requested.Distinct().ToDictionary(a => a, a => ToSdk(a, row.Values.GetValueOrDefault(a))));

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
