using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// A formula field: a real column the engine keeps equal to the formula's value over the record
/// (<see cref="FormulaWriter"/>). One instance per result type (<see cref="For"/>).
/// </summary>
public sealed class FormulaKind : ComputedKind
{
    private static readonly Dictionary<FieldType, FormulaKind> ByResult = new[] { FieldType.Integer, FieldType.Decimal, FieldType.Text, FieldType.Boolean, FieldType.Date, FieldType.DateTime }
        .ToDictionary(t => t, t => new FormulaKind(t));

    private FormulaKind(FieldType result)
        : base(result)
    {
    }

    /// <summary>The kind of a formula whose values are of type <paramref name="result"/> (decimal for anything else).</summary>
    public static FormulaKind For(FieldType? result) => ByResult.GetValueOrDefault(result ?? FieldType.Decimal) ?? ByResult[FieldType.Decimal];

    public override FieldType Type => FieldType.Formula;

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot) => FormulaDefinitions.Validate(field, snapshot);
}
