using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>The validate stage's checks on the values a write brings: names, types, constraints, defaults, required.</summary>
public static class WriteInput
{
    public static Dictionary<string, object?> Normalize(EntityDefinition entity, IReadOnlyDictionary<string, object?> input, List<CrmError> errors)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, raw) in input)
        {
            if (name == SystemFields.OwnerId)
            {
                if (LooseConvert.TryGuid(raw, out var owner) && owner != Guid.Empty)
                {
                    values[name] = owner;
                }
                else
                {
                    errors.Add(new CrmError(ErrorCodes.InvalidValue, "ownerId must be the id of a user.", name));
                }

                continue;
            }

            if (SystemFields.All.Contains(name))
            {
                errors.Add(new CrmError(ErrorCodes.ReadOnlyField, $"'{name}' is set by the engine and can't be written.", name));
                continue;
            }

            var field = entity.FindField(name);
            if (field is null)
            {
                errors.Add(new CrmError(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{name}'.", name));
                continue;
            }

            var kind = field.Of();
            if (!kind.IsWritable)
            {
                errors.Add(new CrmError(ErrorCodes.ReadOnlyField, $"'{name}' is a {field.Type} field: the engine assigns it.", name));
                continue;
            }

            if (raw is null)
            {
                values[name] = null;
                continue;
            }

            var value = kind.Normalize(field, raw);
            if (value.IsOk)
            {
                values[name] = value.Value;
            }
            else
            {
                errors.Add(value.Error!);
            }
        }

        return values;
    }

    public static void ApplyDefaults(EntityDefinition entity, Dictionary<string, object?> values)
    {
        foreach (var field in entity.ActiveFields.Where(f => f.DefaultValue is not null && !values.ContainsKey(f.Name)))
        {
            var value = field.Of().Normalize(field, MetadataValidator.ParseDefault(field, field.DefaultValue!));
            if (value.IsOk)
            {
                values[field.Name] = value.Value;
            }
        }
    }

    /// <summary>
    /// Required fields must have a value on create, and can't be emptied on update. Records that
    /// predate a field becoming required are not refused for other changes.
    /// </summary>
    public static void CheckRequired(RecordChange change)
    {
        foreach (var field in change.Entity.ActiveFields.Where(f => f.Required && f.Of().IsWritable))
        {
            var checkThis = change.Operation == RecordOperation.Create || change.Values.ContainsKey(field.Name);
            if (checkThis && field.Of().IsEmpty(change.Get(field.Name)))
            {
                change.Errors.Add(new CrmError(ErrorCodes.Required, $"'{field.Name}' is required.", field.Name));
            }
        }
    }
}
