using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Types;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Records;

/// <summary>Reads a <c>LeadFilter</c> argument into the engine's <see cref="RecordFilter"/> tree.</summary>
public static class FilterInput
{
    public static readonly IReadOnlyList<(string Member, string System, string? IdEntity)> SystemMembers =
    [
        ("id", SystemFields.Id, null),
        ("createdAt", SystemFields.CreatedAt, null),
        ("updatedAt", SystemFields.UpdatedAt, null),
        ("ownerId", SystemFields.OwnerId, GlobalId.UserType),
        ("createdBy", SystemFields.CreatedBy, GlobalId.UserType),
        ("updatedBy", SystemFields.UpdatedBy, GlobalId.UserType),
    ];

    public static RecordFilter? Read(EntityDefinition entity, IDictionary<string, object?>? input, int depth = 0)
    {
        if (input is null)
        {
            return null;
        }

        if (depth > PredicateBuilder.MaxDepth)
        {
            throw new CrmException(ErrorCodes.InvalidInput, $"Filters may nest at most {PredicateBuilder.MaxDepth} levels deep.", "filter");
        }

        var items = new List<RecordFilter>();
        foreach (var (member, value) in input)
        {
            switch (member)
            {
                case "and":
                    items.Add(new AndFilter(Many(entity, value, depth)));
                    break;
                case "or":
                    items.Add(new OrFilter(Many(entity, value, depth)));
                    break;
                case "not":
                    items.Add(new NotFilter(Read(entity, value as IDictionary<string, object?>, depth + 1) ?? new AndFilter([])));
                    break;
                default:
                    items.AddRange(Comparisons(entity, member, value as IDictionary<string, object?>));
                    break;
            }
        }

        return items.Count == 1 ? items[0] : new AndFilter(items);
    }

    private static List<RecordFilter> Many(EntityDefinition entity, object? value, int depth) =>
        (value as IEnumerable<object?> ?? []).Select(v => Read(entity, v as IDictionary<string, object?>, depth + 1) ?? new AndFilter([])).ToList();

    private static IEnumerable<RecordFilter> Comparisons(EntityDefinition entity, string member, IDictionary<string, object?>? operators)
    {
        var (target, idEntity) = Target(entity, member);
        foreach (var (name, operand) in operators ?? new Dictionary<string, object?>())
        {
            if (!FilterTypes.Operators.TryGetValue(name, out var op))
            {
                throw new CrmException(ErrorCodes.InvalidInput, $"Unknown filter operator '{name}' on '{member}'.", member);
            }

            yield return new FieldFilter(target, op, idEntity is null || op == FilterOperator.IsNull ? operand : Ids(operand, idEntity, member));
        }
    }

    private static (string Target, string? IdEntity) Target(EntityDefinition entity, string member)
    {
        foreach (var (name, system, idEntity) in SystemMembers)
        {
            if (name == member)
            {
                return (system, system == SystemFields.Id ? entity.Name : idEntity);
            }
        }

        var field = entity.ActiveFields.FirstOrDefault(f => GraphKinds.InputName(f) == member)
            ?? throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{member}' to filter on.", member);
        return (field.Name, field.Type == CrmFieldType.Lookup ? field.LookupEntity : null);
    }

    private static object? Ids(object? operand, string entity, string member) => operand switch
    {
        null => null,
        string one => GraphKinds.ReadId(one, entity, member),
        IEnumerable<object?> many => many.Select(v => (object)GraphKinds.ReadId(v as string, entity, member)).ToList(),
        _ => throw new CrmException(ErrorCodes.InvalidId, $"'{operand}' is not an id.", member),
    };
}
