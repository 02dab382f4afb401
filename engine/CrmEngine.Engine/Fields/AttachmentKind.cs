using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// Files attached to a record: the ids of files kept by the files service, stored as
/// <c>|id|id|</c> in one text column (as a multi-picklist's options are, so "has this file" filters
/// the same way). Input takes file ids (global <c>File:</c> ids or UUIDs); the definition's
/// <c>max</c> caps how many (1 for a single file). Whether an id names a file the caller uploaded and
/// may attach is the files service's check, made in the write's transaction.
/// </summary>
public sealed class AttachmentKind : FieldKind
{
    /// <summary>The global id type of files.</summary>
    public const string FileType = "File";

    public override FieldType Type => FieldType.Attachment;

    protected override Type StorageType => typeof(string);

    public override ApiValueType ApiType => ApiValueType.StringList;

    public override ApiFilterType FilterType => ApiFilterType.MultiPicklist;

    public override bool IsSortable => false;

    public override bool SupportsUnique => false;

    public override bool SupportsDefault => false;

    /// <summary>min and max count files.</summary>
    public override bool TakesRange => true;

    public override FieldValue Normalize(FieldDefinition field, object input)
    {
        var ids = new List<string>();
        foreach (var item in ListValues.Items(input))
        {
            if (item is not string text || !GlobalId.TryRead(text, FileType, out var id))
            {
                return Invalid(field, "a list of file ids");
            }

            var canonical = id.ToString();
            if (!ids.Contains(canonical))
            {
                ids.Add(canonical);
            }
        }

        if (field.Max is { } max && ids.Count > max)
        {
            return FieldValue.Fail(ErrorCodes.OutOfRange, $"Field '{field.Name}' holds at most {max} file(s).", field.Name);
        }

        return field.Min is { } min && ids.Count > 0 && ids.Count < min
            ? FieldValue.Fail(ErrorCodes.OutOfRange, $"Field '{field.Name}' needs at least {min} file(s).", field.Name)
            : FieldValue.Ok(ids);
    }

    /// <summary>The file ids of a stored or API value.</summary>
    public static IReadOnlyList<Guid> FileIds(object? value) =>
        value is IReadOnlyList<string> ids ? ids.Select(Guid.Parse).ToList() : [];

    public override bool IsEmpty(object? value) => ListValues.IsEmpty(value);

    public override bool AreEqual(object? a, object? b) => ListValues.AreEqual(a, b);

    public override void Write(FieldDefinition field, object? value, IDictionary<string, object?> row) => ListValues.Write(field, value, row);

    public override object? Read(FieldDefinition field, IReadOnlyDictionary<string, object?> row) => ListValues.Read(field, row);

    public override string? FormatText(object? value) => ListValues.FormatText(value);
}
