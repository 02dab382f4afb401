using System.Runtime.CompilerServices;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// The checks of a formula definition, what it derives (its result type), and per metadata snapshot
/// the checked formulas of each entity and the formulas that read each entity through a lookup (asked
/// on every write: built once per snapshot).
/// </summary>
public static class FormulaDefinitions
{
    private static readonly ConditionalWeakTable<MetadataSnapshot, Plan> Plans = new();

    /// <summary>A formula field of <paramref name="Entity"/> and its checked form.</summary>
    public sealed record Compiled(EntityDefinition Entity, FieldDefinition Field, CheckedFormula Formula);

    /// <summary>The definition with its result type inferred, for a field being added to <paramref name="entityName"/>.</summary>
    public static FieldDefinition Complete(string entityName, FieldDefinition field, MetadataSnapshot snapshot)
    {
        if (field is not { Type: FieldType.Formula, Formula: { } formula } || snapshot.Find(entityName) is not { } entity)
        {
            return field;
        }

        try
        {
            var type = FormulaTypes.FieldTypeOf(FormulaChecker.Check(entity, snapshot, field).Tree.Type);
            return type is { } result ? field with { Formula = formula with { ResultType = result } } : field;
        }
        catch (CrmException)
        {
            // Validate says why, with the field in place (a formula reading itself is a cycle there).
            return field;
        }
    }

    public static IEnumerable<CrmError> Validate(FieldDefinition field, MetadataSnapshot snapshot)
    {
        if (field.Formula is not { } formula)
        {
            return [new CrmError(ErrorCodes.InvalidDefinition, $"Formula '{field.Name}' needs a formula definition with its expression.", "formula")];
        }

        var entity = snapshot.Entities.FirstOrDefault(e => e.Fields.Contains(field));
        if (entity is null)
        {
            return [];
        }

        CheckedFormula checkedFormula;
        try
        {
            checkedFormula = FormulaChecker.Check(entity, snapshot, field);
        }
        catch (CrmException e)
        {
            return [e.Errors[0] with { Field = FormulaErrors.Field, Message = $"In formula '{entity.Name}.{field.Name}': {e.Errors[0].Message}" }];
        }

        var result = FormulaTypes.FieldTypeOf(checkedFormula.Tree.Type);
        if (result is null)
        {
            return [new CrmError(FormulaErrors.TypeMismatch, $"Formula '{field.Name}' is always NULL: it needs a value of some type.", FormulaErrors.Field)];
        }

        return result == formula.ResultType ? [] :
        [
            new CrmError(ErrorCodes.InvalidDefinition, $"Formula '{field.Name}' holds {formula.ResultType} values, but its expression now gives {result}; remove the formula before changing the type of a field it reads.", FormulaErrors.Field),
        ];
    }

    /// <summary>The formulas of <paramref name="entity"/>, checked.</summary>
    public static IReadOnlyList<Compiled> Of(MetadataSnapshot snapshot, string entity) => PlanOf(snapshot).Own.GetValueOrDefault(entity) ?? [];

    /// <summary>The formulas of other records that read fields of <paramref name="target"/> through a lookup.</summary>
    public static IReadOnlyList<(Compiled Formula, RemoteReads Reads)> Reading(MetadataSnapshot snapshot, string target) =>
        PlanOf(snapshot).Readers.GetValueOrDefault(target) ?? [];

    /// <summary>The checked form of one formula field.</summary>
    public static Compiled Find(MetadataSnapshot snapshot, string entity, string field) =>
        Of(snapshot, entity).FirstOrDefault(f => f.Field.Name == field)
        ?? throw new CrmException(ErrorCodes.InvalidInput, $"'{entity}.{field}' is not a formula field.", "field");

    private static Plan PlanOf(MetadataSnapshot snapshot) => Plans.GetValue(snapshot, s => new Plan(s));

    private sealed class Plan
    {
        public Plan(MetadataSnapshot snapshot)
        {
            var all = snapshot.ActiveEntities
                .SelectMany(e => e.ActiveFields.Where(f => f is { Type: FieldType.Formula, Formula: not null }).Select(f => (Entity: e, Field: f)))
                .Select(x => TryCheck(snapshot, x.Entity, x.Field))
                .OfType<Compiled>()
                .ToArray();
            Own = all.GroupBy(c => c.Entity.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
            Readers = all.SelectMany(c => c.Formula.Remote.Select(r => (Formula: c, Reads: r)))
                .GroupBy(x => x.Reads.Target, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        }

        public Dictionary<string, Compiled[]> Own { get; }

        public Dictionary<string, (Compiled Formula, RemoteReads Reads)[]> Readers { get; }

        private static Compiled? TryCheck(MetadataSnapshot snapshot, EntityDefinition entity, FieldDefinition field)
        {
            try
            {
                return new Compiled(entity, field, FormulaChecker.Check(entity, snapshot, field));
            }
            catch (CrmException)
            {
                // Published metadata passed validation; a formula that no longer checks is not maintained rather than failing every write.
                return null;
            }
        }
    }
}
