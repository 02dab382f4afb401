using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Types;
using GraphQL.Types;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// The API side of field kinds: each kind names its API value and filter types
/// (<see cref="ApiValueType"/>, <see cref="ApiFilterType"/>), mapped here to GraphQL types once;
/// and the translation of ids between the API (global ids) and the engine (UUIDs).
/// </summary>
public sealed class GraphKinds(SharedTypes types)
{
    public IGraphType Output(FieldDefinition field) => Of(field.Of().ApiType);

    public IGraphType Input(FieldDefinition field) => field.Of().ApiType == ApiValueType.Money ? types.MoneyInput : Output(field);

    /// <summary>The type of a field's smallest and largest values.</summary>
    public IGraphType Extreme(FieldDefinition field) => Of(field.Of().ExtremeType);

    public InputObjectGraphType Filter(FieldDefinition field) => types.Filters.For(field.Of().FilterType);

    private IGraphType Of(ApiValueType type) => type switch
    {
        ApiValueType.Long => types.Long,
        ApiValueType.Decimal => types.Decimal,
        ApiValueType.Money => types.Money,
        ApiValueType.Boolean => types.Boolean,
        ApiValueType.Date => types.Date,
        ApiValueType.DateTime => types.DateTime,
        ApiValueType.StringList => SharedTypes.ListOf(types.String),
        ApiValueType.Id => types.Id,
        _ => types.String,
    };

    /// <summary>The API member a field is written and filtered by: <c>accountId</c> for a lookup, else its name.</summary>
    public static string InputName(FieldDefinition field) => field.Type == CrmFieldType.Lookup ? Engine.Fields.LookupKind.IdMemberName(field) : field.Name;

    /// <summary>An input value in engine form: global ids become UUIDs of the expected entity.</summary>
    public static object? ToEngine(FieldDefinition field, object? value) =>
        field.Type == CrmFieldType.Lookup && value is string id ? ReadId(id, field.LookupEntity!, InputName(field)) : value;

    /// <summary>An id argument for <paramref name="entity"/>, as a UUID; anything else is a typed error.</summary>
    public static Guid ReadId(string? value, string entity, string argument) =>
        GlobalId.TryRead(value, entity, out var id)
            ? id
            : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not the id of a {entity} record.", argument);
}
