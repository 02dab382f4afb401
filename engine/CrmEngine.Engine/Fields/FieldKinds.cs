using CrmEngine.Engine.Fields.Formulas;
using CrmEngine.Engine.Fields.Rollups;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// The registry of field kinds: one instance per <see cref="FieldType"/>, the one place a new type is
/// registered. Storage, validation, queries, aggregates, type changes and the API ask the kind.
/// </summary>
public static class FieldKinds
{
    private static readonly Dictionary<FieldType, FieldKind> ByType = new FieldKind[]
    {
        new TextKind(), new LongTextKind(), new IntegerKind(), new DecimalKind(), new MoneyKind(), new BooleanKind(),
        new DateFieldKind(), new DateTimeFieldKind(), new EmailKind(), new PhoneKind(), new UrlKind(), new PicklistKind(),
        new MultiPicklistKind(), new LookupKind(), new AutoNumberKind(), new AttachmentKind(),
    }.ToDictionary(k => k.Type);

    public static FieldKind For(FieldType type) => type switch
    {
        FieldType.Rollup => RollupKind.For(null),
        FieldType.Formula => FormulaKind.For(null),
        _ => ByType[type],
    };

    /// <summary>The kind of a field: a computed field's is the one for its result type.</summary>
    public static FieldKind Of(this FieldDefinition field) => field.Type switch
    {
        FieldType.Rollup => RollupKind.For(field.Rollup?.ResultType),
        FieldType.Formula => FormulaKind.For(field.Formula?.ResultType),
        _ => ByType[field.Type],
    };
}
