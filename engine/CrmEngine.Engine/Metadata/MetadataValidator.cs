using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// Checks a whole snapshot before it is applied: names, labels, clashes in the API and in the
/// database, and each field's own rules. Removed definitions keep their names until purged.
/// </summary>
public static class MetadataValidator
{
    public static readonly IReadOnlyList<string> RequiredLocales = ["en", "zh-CN"];

    public static IReadOnlyList<CrmError> Validate(MetadataSnapshot snapshot)
    {
        var errors = new List<CrmError>();
        var rootFields = new Dictionary<string, string>(StringComparer.Ordinal);
        var typeNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var entity in snapshot.Entities)
        {
            ValidateEntityNames(entity, errors);
            Claim(tables, entity.TableName, entity.Name, errors, other => $"Entity '{entity.Name}' would use table '{entity.TableName}', which '{other}' uses.");
            foreach (var root in ApiNames.RootQueryFields(entity))
            {
                if (ApiNames.BuiltInRootFields.Contains(root))
                {
                    errors.Add(new CrmError(ErrorCodes.ReservedName, $"Entity '{entity.Name}' would define the query '{root}', which the engine reserves.", "name"));
                }

                Claim(rootFields, root, entity.Name, errors, other => $"Entity '{entity.Name}' would define the query '{root}', which entity '{other}' defines.");
            }

            foreach (var type in ApiNames.TypeNames(entity))
            {
                if (ApiNames.BuiltInTypes.Contains(type))
                {
                    errors.Add(new CrmError(ErrorCodes.ReservedName, $"Entity '{entity.Name}' would define the type '{type}', which the engine reserves.", "name"));
                }

                Claim(typeNames, type, entity.Name, errors, other => $"Entity '{entity.Name}' would define the type '{type}', which entity '{other}' defines too.");
            }

            ValidateFields(entity, snapshot, errors);
            errors.AddRange(IndexDefinition.Validate(entity));
        }

        ValidatePluginOperations(snapshot, rootFields, errors);
        return errors;
    }

    /// <summary>Plugin operations share the root with entities and the engine: no two may take the same name.</summary>
    private static void ValidatePluginOperations(MetadataSnapshot snapshot, Dictionary<string, string> rootFields, List<CrmError> errors)
    {
        var mutations = snapshot.Entities.SelectMany(e => ApiNames.Mutations(e).Select(m => (m, e.Name))).ToDictionary(x => x.m, x => x.Name, StringComparer.Ordinal);
        foreach (var plugin in snapshot.Plugins)
        {
            foreach (var query in plugin.Queries)
            {
                if (ApiNames.BuiltInRootFields.Contains(query))
                {
                    errors.Add(new CrmError(ErrorCodes.ReservedName, $"Plugin '{plugin.Id}' would add the query '{query}', which the engine reserves.", "plugin"));
                }

                Claim(rootFields, query, "plugin " + plugin.Id, errors, other => $"Plugin '{plugin.Id}' would add the query '{query}', which '{other}' defines.");
            }

            foreach (var mutation in plugin.Mutations)
            {
                if (ApiNames.BuiltInMutations.Contains(mutation))
                {
                    errors.Add(new CrmError(ErrorCodes.ReservedName, $"Plugin '{plugin.Id}' would add the mutation '{mutation}', which the engine reserves.", "plugin"));
                }

                Claim(mutations, mutation, "plugin " + plugin.Id, errors, other => $"Plugin '{plugin.Id}' would add the mutation '{mutation}', which '{other}' defines.");
            }
        }
    }

    public static IEnumerable<CrmError> ValidateLabels(LocalizedText? labels, string what, string field)
    {
        var missing = RequiredLocales.Where(l => labels is null || !labels.Has(l) || string.IsNullOrWhiteSpace(labels.Get(l))).ToList();
        if (missing.Count > 0)
        {
            yield return new CrmError(ErrorCodes.LabelRequired, $"{what} needs labels in {string.Join(" and ", RequiredLocales)}; missing {string.Join(", ", missing)}.", field);
        }
    }

    private static void ValidateEntityNames(EntityDefinition entity, List<CrmError> errors)
    {
        if (!Naming.IsValidApiName(entity.Name))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidName, $"Entity name '{entity.Name}' must be 2 to {Naming.MaxNameLength} letters and digits in camelCase, starting with a lower-case letter.", "name"));
        }

        if (entity.TableName.StartsWith(SystemSchema.TablePrefix, StringComparison.Ordinal))
        {
            errors.Add(new CrmError(ErrorCodes.ReservedName, $"Entity names starting with 'crm' followed by a capital are reserved for the engine's tables.", "name"));
        }

        if (!Naming.IsValidApiName(entity.PluralName) || entity.PluralName == entity.Name)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidName, $"Plural name '{entity.PluralName}' must be a camelCase name different from '{entity.Name}'.", "pluralName"));
        }

        errors.AddRange(ValidateLabels(entity.Labels, $"Entity '{entity.Name}'", "labels"));
    }

    private static void ValidateFields(EntityDefinition entity, MetadataSnapshot snapshot, List<CrmError> errors)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var system in SystemFields.All)
        {
            members[system] = "system";
            columns[Naming.ToSnakeCase(system)] = "system";
        }

        foreach (var field in entity.Fields)
        {
            var kind = field.Of();
            if (!Naming.IsValidApiName(field.Name))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidName, $"Field name '{field.Name}' must be 2 to {Naming.MaxNameLength} letters and digits in camelCase, starting with a lower-case letter.", "name"));
            }

            if (SystemFields.ReservedFieldNames.Contains(field.Name))
            {
                errors.Add(new CrmError(ErrorCodes.ReservedName, $"Field name '{field.Name}' is reserved for a system field.", "name"));
            }

            foreach (var member in kind.MemberNames(field))
            {
                Claim(members, member, field.Name, errors, other => $"Field '{field.Name}' of '{entity.Name}' would use the name '{member}', which '{other}' uses.");
            }

            foreach (var column in kind.Columns(field))
            {
                Claim(columns, column.Name, field.Name, errors, other => $"Field '{field.Name}' of '{entity.Name}' would use column '{column.Name}', which '{other}' uses.");
            }

            // Removed definitions keep their names and columns, but are not used, so their rules
            // (a lookup to an entity removed with them, say) are not checked again.
            if (!field.IsActive || !entity.IsActive)
            {
                continue;
            }

            errors.AddRange(ValidateLabels(field.Labels, $"Field '{field.Name}'", "labels"));
            errors.AddRange(kind.ValidateDefinition(field, snapshot));
            if (field.Unique && !kind.SupportsUnique)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidDefinition, $"A {field.Type} field can't be unique.", "unique"));
            }

            if (field.MaxLength is not null && kind is not TextKindBase)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidDefinition, $"maxLength applies to text fields, not {field.Type}.", "maxLength"));
            }

            if ((field.Min is not null || field.Max is not null) && !kind.TakesRange)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidDefinition, $"min and max apply to numbers and money, not {field.Type}.", "min"));
            }

            if (field.Pattern is not null && kind is not TextKindBase)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidDefinition, $"pattern applies to text fields, not {field.Type}.", "pattern"));
            }

            if (field.DefaultValue is { } defaultText)
            {
                if (!kind.SupportsDefault)
                {
                    errors.Add(new CrmError(ErrorCodes.InvalidDefinition, $"A {field.Type} field can't have a default value.", "defaultValue"));
                }
                else if (kind.Normalize(field, ParseDefault(field, defaultText)).Error is { } defaultError)
                {
                    errors.Add(defaultError with { Message = $"Default value '{defaultText}' is not valid: {defaultError.Message}", Field = "defaultValue" });
                }
            }
        }

        // Inverse lists are members of this entity's type too.
        foreach (var (source, lookup) in snapshot.InverseLookupsOf(entity.Name))
        {
            var inverse = LookupKind.InverseName(lookup, source);
            Claim(members, inverse, $"{source.Name}.{lookup.Name}", errors,
                other => $"The inverse list '{inverse}' of lookup '{source.Name}.{lookup.Name}' clashes with '{other}' on '{entity.Name}'; give the lookup another inverseName.");
        }
    }

    /// <summary>Defaults are text; multi-picklist defaults list their values separated by commas.</summary>
    public static object ParseDefault(FieldDefinition field, string text) =>
        field.Type == FieldType.MultiPicklist ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : text;

    private static void Claim(Dictionary<string, string> claimed, string name, string owner, List<CrmError> errors, Func<string, string> message)
    {
        if (claimed.TryGetValue(name, out var existing) && existing != owner)
        {
            errors.Add(new CrmError(ErrorCodes.NameTaken, message(existing), "name"));
            return;
        }

        claimed[name] = owner;
    }
}
