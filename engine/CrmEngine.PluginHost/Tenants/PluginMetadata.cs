using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.PluginHost.Loading;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.PluginHost.Tenants;

/// <summary>
/// Turns a plugin's declarations into the tenant's metadata: its entities (Source = plugin id) and
/// the fields it adds to its dependencies' entities. Applying again upgrades; a plugin never takes
/// over a name the tenant already uses for its own entity or field: that refuses the change.
/// </summary>
internal static class PluginMetadata
{
    /// <summary>
    /// The plugin's declarations applied to the tenant. With <paramref name="upgradingFrom"/> (the
    /// version the tenant has, during an upgrade) the new entities and fields are added, the fields
    /// the plugin no longer declares stay (its upgrade still reads them), and the tenant keeps
    /// recording the old version until the upgrade is done.
    /// </summary>
    public static MetadataChange Enable(MetadataSnapshot current, LoadedPlugin plugin, IReadOnlyList<IPluginOperation> operations, DateTime now, string? upgradingFrom = null)
    {
        var retire = upgradingFrom is null;
        var entities = current.Entities.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var declaration in plugin.Entities)
        {
            var declared = ToDefinition(declaration, plugin.Id);
            if (entities.TryGetValue(declaration.Name, out var existing))
            {
                if (existing.Source != plugin.Id)
                {
                    throw new CrmException(ErrorCodes.NameTaken,
                        $"Plugin '{plugin.Id}' declares entity '{declaration.Name}', but the tenant already has a {Describe(existing.Source)} entity of that name; rename or purge it first.", "entity");
                }

                entities[declaration.Name] = Merge(existing, declared, plugin.Id, now, retire) with
                {
                    Labels = declared.Labels,
                    PluralLabels = declared.PluralLabels,
                    Descriptions = declared.Descriptions,
                    State = DefinitionState.Active,
                    RemovedAt = null,
                };
            }
            else
            {
                entities[declaration.Name] = declared;
            }
        }

        if (retire)
        {
            RetireUndeclared(entities, plugin, now);
        }

        foreach (var extension in plugin.Extensions)
        {
            if (!entities.TryGetValue(extension.Name, out var target))
            {
                throw new CrmException(ErrorCodes.UnknownEntity, $"Plugin '{plugin.Id}' adds fields to '{extension.Name}', which this tenant doesn't have; enable the plugin that declares it first.", "entity");
            }

            entities[extension.Name] = Merge(target, ToDefinition(extension, plugin.Id) with { Name = target.Name }, plugin.Id, now, retire);
        }

        var version = plugin.Manifest!.Version.ToNormalizedString();
        var enabled = new EnabledPlugin(
            plugin.Id,
            upgradingFrom ?? version,
            operations.Where(o => o.Kind == OperationKind.Query).Select(o => o.Name).ToList(),
            operations.Where(o => o.Kind == OperationKind.Mutation).Select(o => o.Name).ToList(),
            upgradingFrom is null ? null : version);
        var summary = upgradingFrom is null ? $"Enabled plugin '{plugin.Id}' {enabled.Version}." : $"Upgrading plugin '{plugin.Id}' from {upgradingFrom} to {plugin.Manifest!.Version.ToNormalizedString()}: new fields added.";
        return new MetadataChange(entities.Values, summary)
        {
            Plugins = current.Plugins.Where(p => p.Id != plugin.Id).Append(enabled),
        };
    }

    /// <summary>
    /// Retires the plugin's entities its version no longer declares, as disabling does (hidden, data
    /// kept, restored if a later version declares them again); refused while a field that stays looks one up.
    /// </summary>
    private static void RetireUndeclared(Dictionary<string, EntityDefinition> entities, LoadedPlugin plugin, DateTime now)
    {
        var declared = plugin.Entities.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var retired = entities.Values.Where(e => e.Source == plugin.Id && e.IsActive && !declared.Contains(e.Name)).Select(e => e.Name).ToList();
        foreach (var name in retired)
        {
            entities[name] = entities[name] with { State = DefinitionState.Removed, RemovedAt = now };
        }

        var users = entities.Values.Where(e => e.IsActive)
            .SelectMany(e => e.ActiveFields.Where(f => f.LookupEntity is { } target && retired.Contains(target)).Select(f => $"{e.Name}.{f.Name}"))
            .ToList();
        if (users.Count > 0)
        {
            throw new CrmException(ErrorCodes.EntityInUse,
                $"Plugin '{plugin.Id}' {plugin.Manifest!.Version.ToNormalizedString()} no longer declares {string.Join(", ", retired)}, but {string.Join(", ", users)} look it up. Remove those fields, then enable the plugin again.", "id");
        }
    }

    /// <summary>Hides the plugin's entities and fields (keeping their data) and drops its operations.</summary>
    public static MetadataChange Disable(MetadataSnapshot current, string pluginId, DateTime now)
    {
        var entities = current.Entities.Select(e => e.Source == pluginId
            ? e with { State = DefinitionState.Removed, RemovedAt = e.RemovedAt ?? now }
            : e with { Fields = e.Fields.Select(f => f.Source == pluginId && f.IsActive ? f with { State = DefinitionState.Removed, RemovedAt = now } : f).ToList() }).ToList();
        var hidden = entities.Where(e => e.Source == pluginId).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var users = entities.Where(e => e.IsActive).SelectMany(e => e.ActiveFields.Where(f => f.LookupEntity is { } target && hidden.Contains(target)).Select(f => $"{e.Name}.{f.Name}")).ToList();
        if (users.Count > 0)
        {
            throw new CrmException(ErrorCodes.EntityInUse, $"Plugin '{pluginId}' can't be disabled: {string.Join(", ", users)} look up its entities. Remove those fields first.", "id");
        }

        return new MetadataChange(entities, $"Disabled plugin '{pluginId}' (its data is kept).")
        {
            Plugins = current.Plugins.Where(p => p.Id != pluginId),
        };
    }

    /// <summary>
    /// Drops the plugin's entities (tables and records), the fields it added to other entities and
    /// their auto-number counters; refused while a field that isn't the plugin's looks up one of its entities.
    /// </summary>
    public static MetadataChange Purge(MetadataSnapshot current, string pluginId, Func<TenantDbContext, Task> forgetState)
    {
        var purged = current.Entities.Where(e => e.Source == pluginId).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var kept = current.Entities.Where(e => !purged.Contains(e.Name)).ToList();
        var users = kept.SelectMany(e => e.Fields.Where(f => f.Source != pluginId && f.LookupEntity is { } target && purged.Contains(target)).Select(f => $"{e.Name}.{f.Name}")).ToList();
        if (users.Count > 0)
        {
            throw new CrmException(ErrorCodes.EntityInUse, $"Plugin '{pluginId}' can't be purged: {string.Join(", ", users)} look up its entities. Purge those fields first.", "id");
        }

        var sequences = current.Entities
            .SelectMany(e => e.Fields.Where(f => f.Type == FieldType.AutoNumber && (purged.Contains(e.Name) || f.Source == pluginId)).Select(f => Sequences.NameOf(e.Name, f.Name)))
            .ToList();
        return new MetadataChange(kept.Select(e => e with { Fields = e.Fields.Where(f => f.Source != pluginId).ToList() }), $"Uninstalled plugin '{pluginId}' and purged its data.")
        {
            Plugins = current.Plugins.Where(p => p.Id != pluginId),
            After = async context =>
            {
                foreach (var sequence in sequences)
                {
                    await Sequences.DeleteAsync(context, sequence, CancellationToken.None);
                }

                await forgetState(context);
            },
        };
    }

    /// <summary>The plugin's fields replace its earlier ones; the tenant's own fields stay; fields it no longer declares are removed (kept).</summary>
    private static EntityDefinition Merge(EntityDefinition existing, EntityDefinition declared, string pluginId, DateTime now, bool retire)
    {
        var fields = existing.Fields.ToList();
        foreach (var field in declared.Fields)
        {
            var index = fields.FindIndex(f => f.Name == field.Name);
            if (index < 0)
            {
                fields.Add(field);
            }
            else if (fields[index].Source != pluginId)
            {
                throw new CrmException(ErrorCodes.NameTaken,
                    $"Plugin '{pluginId}' declares field '{existing.Name}.{field.Name}', but the tenant already has a {Describe(fields[index].Source)} field of that name; the plugin never replaces it. Rename or purge the tenant's field first.", "field");
            }
            else
            {
                fields[index] = field;
            }
        }

        var declaredNames = declared.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        fields = fields.Select(f => retire && f.Source == pluginId && f.IsActive && !declaredNames.Contains(f.Name) ? f with { State = DefinitionState.Removed, RemovedAt = now } : f).ToList();
        return existing with { Fields = fields };
    }

    private static string Describe(string source) => source == MetadataSources.Custom ? "custom" : $"'{source}' plugin's";

    public static EntityDefinition ToDefinition(EntityDeclaration declaration, string pluginId) => new()
    {
        Name = declaration.Name,
        PluralName = declaration.PluralName ?? Naming.Pluralize(declaration.Name),
        Labels = Text(declaration.Labels) ?? LocalizedText.Empty,
        PluralLabels = Text(declaration.PluralLabels),
        Descriptions = Text(declaration.Description),
        Source = pluginId,
        Fields = declaration.Fields.Select(f => new FieldDefinition
        {
            Name = f.Name,
            Type = f.Type,
            Labels = Text(f.Labels)!,
            Descriptions = Text(f.Description),
            Required = f.Required,
            Unique = f.Unique,
            Indexed = f.Indexed,
            Searchable = f.Searchable,
            DefaultValue = f.DefaultValue,
            MaxLength = f.MaxLength,
            Min = f.Min,
            Max = f.Max,
            Pattern = f.Pattern,
            Scale = f.Scale,
            Currency = f.Currency,
            Options = f.Options?.Select((o, i) => new PicklistOption { Value = o.Value, Labels = Text(o.Labels)!, Color = o.Color, Order = i }).ToList(),
            LookupEntity = f.LookupEntity,
            InverseName = f.InverseName,
            AutoNumberFormat = f.AutoNumberFormat,
            Source = pluginId,
        }).ToList(),
    };

    /// <summary>An SDK text as the engine's.</summary>
    internal static LocalizedText? Text(LocalizedString? text) => text is null ? null : new LocalizedText(text.Texts);
}
