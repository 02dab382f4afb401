using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Engine.Fields;

public sealed class DateFieldKind : FieldKind
{
    public override FieldType Type => FieldType.Date;

    protected override Type StorageType => typeof(DateOnly?);

    public override ApiValueType ApiType => ApiValueType.Date;

    public override ApiFilterType FilterType => ApiFilterType.Date;

    public override IReadOnlyList<AggregateFunction> Aggregates => Extremes;

    public override IReadOnlyCollection<FieldType> ConvertsTo => [FieldType.DateTime];

    public override FieldValue Normalize(FieldDefinition field, object input) =>
        LooseConvert.TryDate(input, out var date) ? FieldValue.Ok(date) : Invalid(field, "a date such as 2025-03-31");
}

public sealed class DateTimeFieldKind : FieldKind
{
    public override FieldType Type => FieldType.DateTime;

    protected override Type StorageType => typeof(DateTime?);

    public override ApiValueType ApiType => ApiValueType.DateTime;

    public override ApiFilterType FilterType => ApiFilterType.DateTime;

    public override IReadOnlyList<AggregateFunction> Aggregates => Extremes;

    public override FieldValue Normalize(FieldDefinition field, object input) =>
        LooseConvert.TryDateTime(input, out var instant) ? FieldValue.Ok(instant) : Invalid(field, "an ISO 8601 date and time such as 2025-03-31T09:30:00Z");

    // SQLite hands DateTime back without a kind; every stored instant is UTC.
    public override object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) =>
        row.GetValueOrDefault(field.ColumnName) is DateTime dt ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : null;
}
