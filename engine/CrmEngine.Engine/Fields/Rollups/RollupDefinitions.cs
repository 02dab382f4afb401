using System.Runtime.CompilerServices;
using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Fields.Rollups;

/// <summary>
/// The checks of a rollup definition and what it derives: the type of its values and its filter as a
/// <see cref="Condition"/>. A rollup is exact at commit only if every change to its value is a write
/// of a child, so its filter may only compare the child's own fields with fixed values: conditions
/// through lookups (a change of the looked-up record) and relative dates (the passing of time) are refused.
/// </summary>
public static class RollupDefinitions
{
    private static readonly ConditionalWeakTable<RollupDefinition, Compiled> Parsed = new();

    /// <summary>A definition's filter and the child fields whose changes can change its value.</summary>
    private sealed record Compiled(Condition? Filter, string[] Reads);

    /// <summary>The definition with its derived parts filled in (the result type), for a field being added.</summary>
    public static FieldDefinition Complete(FieldDefinition field, MetadataSnapshot snapshot)
    {
        if (field is not { Type: FieldType.Rollup, Rollup: { } rollup } || snapshot.Find(rollup.Entity) is not { } child)
        {
            return field;
        }

        return ResultTypeOf(rollup, child) is { } result ? field with { Rollup = rollup with { ResultType = result } } : field;
    }

    public static IEnumerable<CrmError> Validate(FieldDefinition field, MetadataSnapshot snapshot)
    {
        if (field.Rollup is not { } rollup)
        {
            yield return Invalid($"Rollup '{field.Name}' needs a rollup definition: function, entity, lookup and (but for COUNT) field.", "rollup");
            yield break;
        }

        if (snapshot.Find(rollup.Entity) is not { } child)
        {
            yield return new CrmError(ErrorCodes.UnknownEntity, $"Rollup '{field.Name}' counts records of '{rollup.Entity}', which is no entity.", "rollup.entity");
            yield break;
        }

        var lookup = child.FindField(rollup.Lookup);
        if (lookup is null)
        {
            yield return new CrmError(ErrorCodes.UnknownField, $"Entity '{child.Name}' has no field '{rollup.Lookup}'.", "rollup.lookup");
            yield break;
        }

        var parent = snapshot.Entities.FirstOrDefault(e => e.Fields.Contains(field));
        if (lookup.Type != FieldType.Lookup || (parent is not null && lookup.LookupEntity != parent.Name))
        {
            yield return Invalid($"'{child.Name}.{lookup.Name}' is not a lookup to '{parent?.Name}': a rollup runs over the records that point at its own entity.", "rollup.lookup");
            yield break;
        }

        if (rollup.Function == RollupFunction.Count ? rollup.Field is not null : rollup.Field is null)
        {
            yield return Invalid(rollup.Function == RollupFunction.Count
                ? $"Rollup '{field.Name}' counts records: COUNT takes no field."
                : $"Rollup '{field.Name}' needs the field of '{child.Name}' its {rollup.Function} runs over.", "rollup.field");
            yield break;
        }

        if (rollup.Field is { } name && child.FindField(name) is null)
        {
            yield return new CrmError(ErrorCodes.UnknownField, $"Entity '{child.Name}' has no field '{name}'.", "rollup.field");
            yield break;
        }

        if (ResultTypeOf(rollup, child) is not { } result)
        {
            yield return Invalid($"{rollup.Function} does not apply to '{child.Name}.{rollup.Field}' ({child.FindField(rollup.Field!)!.Type}); it takes integer, decimal and money fields (MIN and MAX also dates).", "rollup.field");
            yield break;
        }

        if (result != rollup.ResultType)
        {
            yield return Invalid($"Rollup '{field.Name}' holds {rollup.ResultType} values, but {rollup.Function} of '{child.Name}.{rollup.Field}' is now {result}; remove the rollup before changing the field's type.", "rollup.field");
        }

        if (FilterError(rollup, child) is { } error)
        {
            yield return error;
        }
    }

    /// <summary>The type of the values: COUNT an integer, AVG a decimal, the others as the field (money as its decimal amount); null when it does not apply.</summary>
    public static FieldType? ResultTypeOf(RollupDefinition rollup, EntityDefinition child)
    {
        if (rollup.Function == RollupFunction.Count)
        {
            return FieldType.Integer;
        }

        var source = child.FindField(rollup.Field ?? string.Empty)?.Type;
        return (rollup.Function, source) switch
        {
            (_, FieldType.Money or FieldType.Decimal) => FieldType.Decimal,
            (RollupFunction.Avg, FieldType.Integer) => FieldType.Decimal,
            (_, FieldType.Integer) => FieldType.Integer,
            (RollupFunction.Min or RollupFunction.Max, FieldType.Date or FieldType.DateTime) => source,
            _ => null,
        };
    }

    /// <summary>The rollup's filter on the child entity; null when every child counts. Parsed once per definition.</summary>
    public static Condition? FilterOf(RollupDefinition rollup, EntityDefinition child) => Compile(rollup, child).Filter;

    /// <summary>The child fields a rollup reads: its lookup, its field and those its filter compares.</summary>
    public static IReadOnlyList<string> ReadsOf(RollupDefinition rollup, EntityDefinition child) => Compile(rollup, child).Reads;

    private static Compiled Compile(RollupDefinition rollup, EntityDefinition child) => Parsed.GetValue(rollup, r =>
    {
        var filter = r.Filter is null ? null : RuleFilterReader.Read(child, RuleFilterReader.Parse(r.Filter));
        string[] own = r.Field is null ? [r.Lookup] : [r.Lookup, r.Field];
        return new Compiled(filter, [.. own.Concat(FieldsOf(filter)).Distinct(StringComparer.Ordinal)]);
    });

    private static IEnumerable<string> FieldsOf(Condition? condition) => condition switch
    {
        Condition.Comparison c => [c.Field],
        Condition.AllOf all => all.Conditions.SelectMany(FieldsOf),
        Condition.AnyOf any => any.Conditions.SelectMany(FieldsOf),
        Condition.Negation not => FieldsOf(not.Inner),
        _ => [],
    };

    private static CrmError? FilterError(RollupDefinition rollup, EntityDefinition child)
    {
        if (rollup.Filter is null)
        {
            return null;
        }

        try
        {
            var filter = FilterOf(rollup, child);
            if (filter is not null && Relative(filter))
            {
                return Invalid("A rollup's filter can't use a relative date range (it would go stale as time passes without any write); compare with fixed dates, or use a list query's aggregate for rolling periods.", "rollup.filter");
            }

            // The filter compares the child's own fields only (the reader makes nothing else), so
            // building it checks every field, operator and operand without reaching any other table.
            if (filter is not null)
            {
                PredicateBuilder.Build(new QueryContext(MetadataSnapshot.Empty, null!, DateTime.UnixEpoch, TimeZoneInfo.Utc), child, filter);
            }

            return null;
        }
        catch (JsonException)
        {
            return Invalid("A rollup's filter is JSON in the list queries' where shape, such as {\"status\":{\"eq\":\"paid\"}}.", "rollup.filter");
        }
        catch (CrmException e)
        {
            return e.Errors[0] with { Field = "rollup.filter", Message = "In the rollup's filter: " + e.Errors[0].Message };
        }
    }

    private static bool Relative(Condition condition) => condition switch
    {
        Condition.Comparison c => c.Operator == ComparisonOperator.Relative,
        Condition.AllOf all => all.Conditions.Any(Relative),
        Condition.AnyOf any => any.Conditions.Any(Relative),
        Condition.Negation not => Relative(not.Inner),
        _ => true,
    };

    private static CrmError Invalid(string message, string field) => new(ErrorCodes.InvalidDefinition, message, field);
}
