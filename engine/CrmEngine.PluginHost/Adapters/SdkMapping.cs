using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;
using EngineOperation = CrmEngine.Engine.Records.RecordOperation;

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

    public static RecordFilter ToEngine(Condition condition) => condition switch
    {
        Condition.Comparison c => new FieldFilter(c.Field, c.Operator switch
        {
            ComparisonOperator.Eq => FilterOperator.Eq,
            ComparisonOperator.Ne => FilterOperator.Ne,
            ComparisonOperator.In => FilterOperator.In,
            _ => FilterOperator.IsNull,
        }, c.Value),
        Condition.AllOf all => new AndFilter(all.Conditions.Select(ToEngine).ToList()),
        Condition.AnyOf any => new OrFilter(any.Conditions.Select(ToEngine).ToList()),
        Condition.Negation not => new NotFilter(ToEngine(not.Inner)),
        _ => throw new ArgumentOutOfRangeException(nameof(condition)),
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
        _ => Record.Get(field),
    };
}
