using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields;

/// <summary>
/// A many-to-one reference: a UUID column with a foreign key and an index. Its API members are the
/// related record (<c>account</c>) and its id (<c>accountId</c>); the target gains an inverse list.
/// </summary>
public sealed class LookupKind : FieldKind
{
    public override FieldType Type => FieldType.Lookup;

    protected override Type StorageType => typeof(Guid?);

    public override ApiValueType ApiType => ApiValueType.Id;

    public override ApiFilterType FilterType => ApiFilterType.Id;

    public override bool SupportsUnique => true;

    public static string IdMemberName(FieldDefinition field) => field.Name + "Id";

    /// <summary>The inverse list's name on the target: given, or the plural of the source entity.</summary>
    public static string InverseName(FieldDefinition field, EntityDefinition source) => field.InverseName ?? source.PluralName;

    public override IEnumerable<string> MemberNames(FieldDefinition field) => [field.Name, IdMemberName(field)];

    public override IEnumerable<CrmError> ValidateDefinition(FieldDefinition field, MetadataSnapshot snapshot)
    {
        if (string.IsNullOrEmpty(field.LookupEntity))
        {
            yield return new CrmError(ErrorCodes.InvalidDefinition, $"Lookup '{field.Name}' needs lookupEntity, the entity it points to.", "lookupEntity");
        }
        else if (snapshot.Find(field.LookupEntity) is null)
        {
            yield return new CrmError(ErrorCodes.UnknownEntity, $"Lookup '{field.Name}' points to '{field.LookupEntity}', which is not an entity.", "lookupEntity");
        }

        if (field.InverseName is { } inverse && !Naming.IsValidApiName(inverse))
        {
            yield return new CrmError(ErrorCodes.InvalidName, $"inverseName '{inverse}' must be camelCase letters and digits.", "inverseName");
        }
    }

    public override FieldValue Normalize(FieldDefinition field, object input) =>
        LooseConvert.TryGuid(input, out var id) && id != Guid.Empty ? FieldValue.Ok(id) : Invalid(field, $"the id of a {field.LookupEntity} record");
}
