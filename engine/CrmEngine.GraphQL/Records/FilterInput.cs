using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Types;
using CrmEngine.Sdk.Records;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Records;

/// <summary>Reads a <c>LeadFilter</c> argument into a <see cref="Condition"/> tree.</summary>
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

    public static Condition? Read(MetadataSnapshot metadata, EntityDefinition entity, IDictionary<string, object?>? input, int depth = 0)
    {
        if (input is null)
        {
            return null;
        }

        if (depth > PredicateBuilder.MaxDepth)
        {
            throw new CrmException(ErrorCodes.FilterTooDeep, $"Filters may nest at most {PredicateBuilder.MaxDepth} levels deep.", "filter");
        }

        var items = new List<Condition>();
        foreach (var (member, value) in input)
        {
            switch (member)
            {
                case "and":
                    items.Add(new Condition.AllOf(Many(metadata, entity, value, depth)));
                    break;
                case "or":
                    items.Add(new Condition.AnyOf(Many(metadata, entity, value, depth)));
                    break;
                case "not":
                    items.Add(new Condition.Negation(Read(metadata, entity, value as IDictionary<string, object?>, depth + 1) ?? new Condition.AllOf([])));
                    break;
                default:
                    items.AddRange(Member(metadata, entity, member, value as IDictionary<string, object?>, depth));
                    break;
            }
        }

        return items.Count == 1 ? items[0] : new Condition.AllOf(items);
    }

    private static List<Condition> Many(MetadataSnapshot metadata, EntityDefinition entity, object? value, int depth) =>
        (value as IEnumerable<object?> ?? []).Select(v => Read(metadata, entity, v as IDictionary<string, object?>, depth + 1) ?? new Condition.AllOf([])).ToList();

    private static List<Condition> Member(MetadataSnapshot metadata, EntityDefinition entity, string member, IDictionary<string, object?>? value, int depth)
    {
        if (value is null)
        {
            return [];
        }

        if (entity.FindField(member) is { Type: CrmFieldType.Lookup } lookup && metadata.Find(lookup.LookupEntity!) is { } target)
        {
            return [new Condition.LookupMatch(lookup.Name, Read(metadata, target, value, depth + 1) ?? new Condition.AllOf([]))];
        }

        foreach (var (source, field) in metadata.InverseLookupsOf(entity.Name))
        {
            if (LookupKind.InverseName(field, source) == member)
            {
                return value.Select(m => (Condition)new Condition.RelatedRecords(source.Name, field.Name, Match(m.Key, member), Read(metadata, source, m.Value as IDictionary<string, object?>, depth + 1) ?? new Condition.AllOf([]))).ToList();
            }
        }

        return Comparisons(entity, member, value);
    }

    private static RelatedMatch Match(string name, string member) => name switch
    {
        "some" => RelatedMatch.Some,
        "none" => RelatedMatch.None,
        "every" => RelatedMatch.Every,
        _ => throw new CrmException(ErrorCodes.InvalidOperator, $"Unknown list condition '{name}' on '{member}'; use some, none or every.", member),
    };

    private static List<Condition> Comparisons(EntityDefinition entity, string member, IDictionary<string, object?> operators)
    {
        var (target, idEntity) = Target(entity, member);
        var filters = new List<Condition>();
        foreach (var (name, operand) in operators)
        {
            if (!FilterTypes.Operators.TryGetValue(name, out var op))
            {
                throw new CrmException(ErrorCodes.InvalidOperator, $"Unknown filter operator '{name}' on '{member}'.", member);
            }

            var value = op switch
            {
                ComparisonOperator.Relative => Relative(operand, member),
                ComparisonOperator.IsNull => operand,
                _ when idEntity is not null => Ids(operand, idEntity, member),
                _ => operand,
            };
            filters.Add(new Condition.Comparison(target, op, value));
        }

        return filters;
    }

    private static RelativeDate? Relative(object? operand, string member) => operand switch
    {
        null => null,
        IDictionary<string, object?> range => new RelativeDate(
            range.TryGetValue("period", out var period) && period is RelativePeriod p ? p : throw new CrmException(ErrorCodes.InvalidValue, "relative needs a period.", member),
            range.TryGetValue("days", out var days) ? days as int? : null,
            range.TryGetValue("timeZone", out var zone) ? zone as string : null),
        _ => throw new CrmException(ErrorCodes.InvalidValue, "relative takes { period, days, timeZone }.", member),
    };

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
