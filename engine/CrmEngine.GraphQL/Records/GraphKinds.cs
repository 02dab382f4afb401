using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Types;
using GraphQL.Types;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// The API side of field kinds: each field type's output, input and filter types, and the
/// translation of ids between the API (global ids) and the engine (UUIDs).
/// </summary>
public sealed class GraphKinds(SharedTypes types)
{
    public IGraphType Output(FieldDefinition field) => field.Type switch
    {
        CrmFieldType.Integer => types.Long,
        CrmFieldType.Decimal => types.Decimal,
        CrmFieldType.Money => types.Money,
        CrmFieldType.Boolean => types.Boolean,
        CrmFieldType.Date => types.Date,
        CrmFieldType.DateTime => types.DateTime,
        CrmFieldType.MultiPicklist => SharedTypes.ListOf(types.String),
        CrmFieldType.Lookup => types.Id,
        _ => types.String,
    };

    public IGraphType Input(FieldDefinition field) => field.Type switch
    {
        CrmFieldType.Money => types.MoneyInput,
        _ => Output(field),
    };

    public InputObjectGraphType Filter(FieldDefinition field) => field.Type switch
    {
        CrmFieldType.Integer => types.Filters.Long,
        CrmFieldType.Decimal => types.Filters.Decimal,
        CrmFieldType.Money => types.Filters.Money,
        CrmFieldType.Boolean => types.Filters.Boolean,
        CrmFieldType.Date => types.Filters.Date,
        CrmFieldType.DateTime => types.Filters.DateTime,
        CrmFieldType.MultiPicklist => types.Filters.MultiPicklist,
        CrmFieldType.Picklist => types.Filters.Picklist,
        CrmFieldType.Lookup => types.Filters.Id,
        _ => types.Filters.String,
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
