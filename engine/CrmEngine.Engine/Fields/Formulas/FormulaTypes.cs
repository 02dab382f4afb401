using CrmEngine.Engine.Errors;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>How formula types relate to field types and to each other.</summary>
public static class FormulaTypes
{
    /// <summary>The formula type a field's value reads as; null for fields a formula can't use as a value (lookups, multi-picklists, attachments).</summary>
    public static FormulaType? Of(FieldType type) => type switch
    {
        FieldType.Text or FieldType.LongText or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist or FieldType.AutoNumber => FormulaType.Text,
        FieldType.Integer => FormulaType.Integer,
        FieldType.Decimal or FieldType.Money => FormulaType.Decimal,
        FieldType.Boolean => FormulaType.Boolean,
        FieldType.Date => FormulaType.Date,
        FieldType.DateTime => FormulaType.DateTime,
        _ => null,
    };

    /// <summary>The field type a formula's result is stored and exposed as.</summary>
    public static FieldType? FieldTypeOf(FormulaType type) => type switch
    {
        FormulaType.Integer => FieldType.Integer,
        FormulaType.Decimal => FieldType.Decimal,
        FormulaType.Text => FieldType.Text,
        FormulaType.Boolean => FieldType.Boolean,
        FormulaType.Date => FieldType.Date,
        FormulaType.DateTime => FieldType.DateTime,
        _ => null,
    };

    public static bool IsNumeric(FormulaType type) => type is FormulaType.Integer or FormulaType.Decimal or FormulaType.Null;

    /// <summary>The one type two values may both have (IF's branches, COALESCE's arguments, comparison's sides): NULL fits any, an integer widens to a decimal.</summary>
    public static FormulaType? Unify(FormulaType a, FormulaType b) => (a, b) switch
    {
        _ when a == b => a,
        (FormulaType.Null, _) => b,
        (_, FormulaType.Null) => a,
        (FormulaType.Integer, FormulaType.Decimal) or (FormulaType.Decimal, FormulaType.Integer) => FormulaType.Decimal,
        _ => null,
    };

    public static string Name(FormulaType type) => type switch
    {
        FormulaType.DateTime => "date-time",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static CrmException Mismatch(string message) => FormulaErrors.Exception(FormulaErrors.TypeMismatch, message);

    /// <summary>Checks <paramref name="actual"/> is one of <paramref name="expected"/> (NULL always is).</summary>
    public static void Expect(TypedFormula actual, string where, params FormulaType[] expected)
    {
        if (actual.Type != FormulaType.Null && !expected.Contains(actual.Type))
        {
            throw Mismatch($"{where} takes {string.Join(" or ", expected.Select(Name))}, not {Name(actual.Type)}.");
        }
    }
}
