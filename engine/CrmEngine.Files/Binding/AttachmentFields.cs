using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Pipeline;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.Files.Binding;

/// <summary>The attachment fields a write touches, and the files it adds to and takes off them.</summary>
internal static class AttachmentFields
{
    public static bool Any(EntityDefinition entity)
    {
        foreach (var field in entity.Fields)
        {
            if (field.Type == CrmFieldType.Attachment)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Per attachment field the write sets: the file ids it adds and the ones it removes.</summary>
    public static IEnumerable<(FieldDefinition Field, List<Guid> Added, List<Guid> Removed)> Changes(RecordChange change)
    {
        foreach (var field in change.Entity.ActiveFields)
        {
            if (field.Type != CrmFieldType.Attachment || !change.Values.TryGetValue(field.Name, out var value))
            {
                continue;
            }

            var now = AttachmentKind.FileIds(value);
            var before = AttachmentKind.FileIds(change.Previous?.Get(field));
            yield return (field, now.Except(before).ToList(), before.Except(now).ToList());
        }
    }
}
