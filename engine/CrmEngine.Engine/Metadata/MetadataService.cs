using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Fields.Formulas;
using CrmEngine.Engine.Fields.Rollups;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Storage.Search;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sdk.Metadata;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// The admin operations on a tenant's metadata. Each one validates the whole next snapshot, works
/// out the DDL by diffing models, and applies DDL, data fixes, search index rebuilds and the new
/// metadata rows in one transaction; then this process switches to the new model and tells the
/// other hosts. Every change bumps the version; a change made from a version another host has
/// already moved on from is refused (VERSION_CONFLICT) before any DDL runs.
/// </summary>
public sealed class MetadataService(ModelCache models, SchemaMigrator migrator, ISearchIndex search, TenantRegistry tenants, ChangeFeed changes, TimeProvider time, IEnumerable<INameReservations> reservations)
{
    public Task<MetadataSnapshot> CreateEntityAsync(TenantStore store, EntityDefinition entity, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
        {
            EnsureNameFree(current, entity.Name);
            var created = entity with
            {
                State = DefinitionState.Active,
                RemovedAt = null,
                Fields = entity.Fields.Select(f => f with { State = DefinitionState.Active, RemovedAt = null }).ToList(),
            };
            return new MetadataChange(current.Entities.Append(created), $"Created entity '{entity.Name}' with {created.Fields.Count} field(s).");
        }, cancellationToken);

    public Task<MetadataSnapshot> UpdateEntityAsync(TenantStore store, string entityName, EntityUpdate update, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
            Replace(current, update.ApplyTo(Active(current, entityName)), $"Changed the labels of entity '{entityName}'."), cancellationToken);

    public Task<MetadataSnapshot> RemoveEntityAsync(TenantStore store, string entityName, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
        {
            var entity = Active(current, entityName);
            var users = current.InverseLookupsOf(entityName).Where(u => u.Source.Name != entityName).ToList();
            if (users.Count > 0)
            {
                throw new CrmException(ErrorCodes.EntityInUse, $"Entity '{entityName}' is the target of {Describe(users)}; remove those lookups first.");
            }

            return Replace(current, entity with { State = DefinitionState.Removed, RemovedAt = time.UtcNow() }, $"Removed entity '{entityName}' (data kept until purged).");
        }, cancellationToken);

    public Task<MetadataSnapshot> RestoreEntityAsync(TenantStore store, string entityName, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
            Replace(current, Removed(current, entityName) with { State = DefinitionState.Active, RemovedAt = null }, $"Restored entity '{entityName}'."), cancellationToken);

    public Task<MetadataSnapshot> PurgeEntityAsync(TenantStore store, string entityName, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
        {
            var entity = Removed(current, entityName);
            var pointing = current.Entities.Where(e => e.Name != entityName)
                .SelectMany(e => e.Fields.Where(f => f.Type == FieldType.Lookup && f.LookupEntity == entityName).Select(f => $"{e.Name}.{f.Name}"))
                .ToList();
            if (pointing.Count > 0)
            {
                throw new CrmException(ErrorCodes.EntityInUse, $"Entity '{entityName}' is still referenced by {string.Join(", ", pointing)}; purge those fields first.");
            }

            var sequences = entity.Fields.Where(f => f.Type == FieldType.AutoNumber).Select(f => Sequences.NameOf(entityName, f.Name)).ToList();
            return new MetadataChange(current.Entities.Where(e => e.Name != entityName), $"Purged entity '{entityName}' and its data.")
            {
                After = async context =>
                {
                    foreach (var sequence in sequences)
                    {
                        await Sequences.DeleteAsync(context, sequence, cancellationToken);
                    }
                },
            };
        }, cancellationToken);

    public async Task<MetadataSnapshot> AddFieldAsync(TenantStore store, string entityName, FieldDefinition field, Guid? actor, CancellationToken cancellationToken)
    {
        var next = await ApplyAsync(store, actor, current =>
        {
            var entity = Active(current, entityName);
            if (entity.FindAnyField(field.Name) is { } existing)
            {
                throw new CrmException(ErrorCodes.NameTaken, existing.IsActive
                    ? $"Entity '{entityName}' already has a field '{field.Name}'."
                    : $"Entity '{entityName}' has a removed field '{field.Name}'; restore it or purge it first.", "name");
            }

            var added = FormulaDefinitions.Complete(entityName, RollupDefinitions.Complete(field with { State = DefinitionState.Active, RemovedAt = null }, current), current);
            var plan = Replace(current, entity.WithField(added), $"Added field '{entityName}.{field.Name}' ({field.Type}).");
            return field.Type == FieldType.AutoNumber
                ? plan with { After = context => BackfillAutoNumbersAsync(context, entityName, added, cancellationToken) }
                : plan;
        }, cancellationToken);

        // Filled in once child writes maintain it (the new metadata is published): none is missed.
        return field.Type switch
        {
            FieldType.Rollup => await RollupRecompute.RecomputeAsync(store, entityName, field.Name, cancellationToken),
            FieldType.Formula => await FormulaRecompute.RecomputeAsync(store, entityName, field.Name, cancellationToken),
            _ => next,
        };
    }

    public Task<MetadataSnapshot> UpdateFieldAsync(TenantStore store, string entityName, string fieldName, FieldUpdate update, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
        {
            var entity = Active(current, entityName);
            var before = ActiveField(entity, fieldName);
            var after = update.ApplyTo(before);
            if (after.Type != before.Type)
            {
                after = TypeChange.DropInapplicableSettings(after);
            }

            var plan = Replace(current, entity.WithField(after), $"Changed field '{entityName}.{fieldName}'.");
            if (after.Type != before.Type)
            {
                return TypeChange.Plan(plan, entityName, before, after, cancellationToken);
            }

            var droppedOptions = (before.Options ?? []).Select(o => o.Value).Except((after.Options ?? []).Select(o => o.Value)).ToList();
            return droppedOptions.Count == 0
                ? plan
                : plan with { Before = context => OptionUsage.EnsureUnusedAsync(context, entityName, before, droppedOptions, cancellationToken) };
        }, cancellationToken);

    public Task<MetadataSnapshot> RemoveFieldAsync(TenantStore store, string entityName, string fieldName, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
        {
            var entity = Active(current, entityName);
            var field = ActiveField(entity, fieldName);
            return Replace(current, entity.WithField(field with { State = DefinitionState.Removed, RemovedAt = time.UtcNow() }),
                $"Removed field '{entityName}.{fieldName}' (data kept until purged).");
        }, cancellationToken);

    public Task<MetadataSnapshot> RestoreFieldAsync(TenantStore store, string entityName, string fieldName, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
        {
            var entity = Active(current, entityName);
            var field = RemovedField(entity, fieldName);
            return Replace(current, entity.WithField(field with { State = DefinitionState.Active, RemovedAt = null }), $"Restored field '{entityName}.{fieldName}'.");
        }, cancellationToken);

    public Task<MetadataSnapshot> PurgeFieldAsync(TenantStore store, string entityName, string fieldName, Guid? actor, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, current =>
        {
            var entity = current.FindAny(entityName) ?? throw UnknownEntity(entityName);
            var field = RemovedField(entity, fieldName);
            var plan = Replace(current, entity.WithoutField(fieldName), $"Purged field '{entityName}.{fieldName}' and its data.");
            return field.Type == FieldType.AutoNumber
                ? plan with { After = context => Sequences.DeleteAsync(context, Sequences.NameOf(entityName, fieldName), cancellationToken) }
                : plan;
        }, cancellationToken);

    /// <summary>
    /// Applies any change to a tenant's metadata (plugins use this to apply their declarations):
    /// <paramref name="makePlan"/> gets the current snapshot and returns the next entities and plugins.
    /// Validation, DDL, data work and the version bump are the same as for every other change; a plan
    /// that leaves the metadata as it is changes nothing and returns the current snapshot.
    /// </summary>
    public Task<MetadataSnapshot> ChangeAsync(TenantStore store, Guid? actor, Func<MetadataSnapshot, MetadataChange> makePlan, CancellationToken cancellationToken) =>
        ApplyAsync(store, actor, makePlan, cancellationToken);

    private async Task<MetadataSnapshot> ApplyAsync(TenantStore store, Guid? actor, Func<MetadataSnapshot, MetadataChange> makePlan, CancellationToken cancellationToken)
    {
        MetadataSnapshot current, next;
        await store.MetadataLock.WaitAsync(cancellationToken);
        try
        {
            current = store.Metadata;
            var plan = makePlan(current);
            next = new MetadataSnapshot(current.Version + 1, plan.Entities, plan.Plugins ?? current.Plugins);
            if (plan.Before is null && plan.After is null && MetadataStore.SameContent(current, next))
            {
                // A change to what already is (enabling an enabled plugin, say) changes nothing:
                // no version, no change-log entry, no schema rebuild anywhere.
                return current;
            }

            var errors = MetadataValidator.Validate(next).Concat(reservations.SelectMany(r => NameReservationRules.Check(current, next, r))).ToList();
            if (errors.Count > 0)
            {
                throw new CrmException(errors);
            }

            var commands = migrator.PlanEntities(current, next);
            var nextModel = models.Get(next);
            try
            {
                await store.Provider.MigrateAsync(
                    store.ConnectionString,
                    store.Model,
                    nextModel,
                    commands,
                    async context =>
                    {
                        // First, before any DDL: hold the version row, so hosts changing the same
                        // tenant's metadata take turns, and check nobody moved it on meanwhile.
                        await MetadataStore.ClaimVersionAsync(context, current.Version, time.UtcNow(), cancellationToken);
                        if (plan.Before is not null)
                        {
                            await plan.Before(context);
                        }
                    },
                    async context =>
                    {
                        if (plan.After is not null)
                        {
                            await plan.After(context);
                        }

                        await search.SyncDefinitionsAsync(context, current, next, cancellationToken);
                        await MetadataStore.SaveAsync(context, current, next, plan.Summary, actor, time.UtcNow(), cancellationToken);
                    },
                    cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another host changed it first: this process catches up, so a retry starts from there.
                await tenants.ReloadAsync(store, CancellationToken.None);
                throw new CrmException(ErrorCodes.VersionConflict, "The metadata was changed by someone else at the same time; reload it and try again.");
            }
            catch (Exception e) when (store.Provider.IsUniqueViolation(e))
            {
                throw new CrmException(ErrorCodes.UnsafeChange, "The change needs values to be unique, but existing records share a value; make them unique first.");
            }

            store.Publish(next, nextModel);
        }
        finally
        {
            store.MetadataLock.Release();
        }

        await changes.PublishAsync(new ChangeEvent(ChangeKinds.Metadata, store.TenantId, next.Version), cancellationToken);
        return next;
    }

    private async Task BackfillAutoNumbersAsync(TenantDbContext context, string entity, FieldDefinition field, CancellationToken cancellationToken)
    {
        var ids = await context.Records(entity).OrderBy(r => EF.Property<Guid>(r, RecordColumns.Id)).Select(r => EF.Property<Guid>(r, RecordColumns.Id)).ToListAsync(cancellationToken);
        var now = time.UtcNow();
        foreach (var id in ids)
        {
            var counter = await Sequences.NextAsync(context, Sequences.NameOf(entity, field.Name), cancellationToken);
            await ColumnUpdates.SetAsync(context, entity, field.ColumnName, typeof(string), AutoNumberKind.Format(field.AutoNumberFormat!, counter, now), id, cancellationToken);
        }
    }

    private static void EnsureNameFree(MetadataSnapshot snapshot, string name)
    {
        if (snapshot.FindAny(name) is { } existing)
        {
            throw new CrmException(ErrorCodes.NameTaken, existing.IsActive
                ? $"An entity named '{name}' already exists."
                : $"A removed entity named '{name}' exists; restore it or purge it first.", "name");
        }
    }

    private static MetadataChange Replace(MetadataSnapshot snapshot, EntityDefinition entity, string summary) =>
        new(snapshot.Entities.Where(e => e.Name != entity.Name).Append(entity), summary);

    private static EntityDefinition Active(MetadataSnapshot snapshot, string name) => snapshot.Find(name) ?? throw UnknownEntity(name);

    private static EntityDefinition Removed(MetadataSnapshot snapshot, string name)
    {
        var entity = snapshot.FindAny(name) ?? throw UnknownEntity(name);
        return entity.IsActive ? throw new CrmException(ErrorCodes.NotRemoved, $"Entity '{name}' is not removed; remove it first.", "name") : entity;
    }

    private static FieldDefinition ActiveField(EntityDefinition entity, string name) =>
        entity.FindField(name) ?? throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{name}'.", "field");

    private static FieldDefinition RemovedField(EntityDefinition entity, string name)
    {
        var field = entity.FindAnyField(name) ?? throw new CrmException(ErrorCodes.UnknownField, $"Entity '{entity.Name}' has no field '{name}'.", "field");
        return field.IsActive ? throw new CrmException(ErrorCodes.NotRemoved, $"Field '{entity.Name}.{name}' is not removed; remove it first.", "field") : field;
    }

    private static CrmException UnknownEntity(string name) => new(ErrorCodes.UnknownEntity, $"There is no entity named '{name}'.", "entity");

    private static string Describe(IEnumerable<(EntityDefinition Source, FieldDefinition Lookup)> lookups) =>
        string.Join(", ", lookups.Select(l => $"{l.Source.Name}.{l.Lookup.Name}"));
}
