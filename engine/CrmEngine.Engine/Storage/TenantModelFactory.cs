using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace CrmEngine.Engine.Storage;

/// <summary>Which tables a model covers.</summary>
[Flags]
public enum ModelScope
{
    /// <summary>The engine's crm_ tables.</summary>
    System = 1,

    /// <summary>One table per entity.</summary>
    Entities = 2,

    All = System | Entities,
}

/// <summary>
/// Turns metadata into an EF Core model of shared-type property-bag entities: one table per entity,
/// one typed column per field, keys, indexes and foreign keys. Built with the provider's own
/// conventions, so the same metadata gives each provider its native types.
/// </summary>
public sealed class TenantModelFactory(IStorageProvider provider, SystemSchema system)
{
    public IStorageProvider Provider => provider;

    public SystemSchema System => system;

    /// <summary>
    /// A finalized model, not yet initialized for runtime or design time. <paramref name="systemVersions"/>
    /// picks older versions of the system tables (to diff an old store against); null means current.
    /// </summary>
    public IModel Build(MetadataSnapshot snapshot, ModelScope scope, IReadOnlyDictionary<string, int>? systemVersions = null)
    {
        using var services = provider.CreateServiceContext();
        var builder = new ModelBuilder(services.GetService<IConventionSetBuilder>().CreateConventionSet().KeepingDefaultConstraintNames());
        if (scope.HasFlag(ModelScope.System))
        {
            system.Configure(builder, systemVersions);
        }

        if (scope.HasFlag(ModelScope.Entities))
        {
            // Tables first, relationships second: a lookup may point at an entity configured later.
            foreach (var entity in snapshot.Entities)
            {
                ConfigureTable(builder, entity);
            }

            foreach (var entity in snapshot.Entities)
            {
                ConfigureLookups(builder, entity, snapshot);
            }
        }

        return (IModel)builder.FinalizeModel();
    }

    /// <summary>A model ready for design-time use: the differ reads its relational model.</summary>
    public IModel BuildForDiff(MetadataSnapshot snapshot, ModelScope scope, IReadOnlyDictionary<string, int>? systemVersions = null)
    {
        using var services = provider.CreateServiceContext();
        return services.GetService<IModelRuntimeInitializer>().Initialize(Build(snapshot, scope, systemVersions), designTime: true, validationLogger: null);
    }

    /// <summary>A model ready to hand to contexts through UseModel.</summary>
    public IModel BuildForRuntime(MetadataSnapshot snapshot, ModelScope scope)
    {
        using var services = provider.CreateServiceContext();
        return services.GetService<IModelRuntimeInitializer>().Initialize(Build(snapshot, scope), designTime: false, validationLogger: null);
    }

    private static void ConfigureTable(ModelBuilder builder, EntityDefinition entity) =>
        builder.SharedTypeEntity<Dictionary<string, object>>(entity.Name, b =>
        {
            b.ToTable(entity.TableName);
            b.IndexerProperty<Guid>(RecordColumns.Id).ValueGeneratedNever();
            b.HasKey(RecordColumns.Id);
            b.IndexerProperty<DateTime>(RecordColumns.CreatedAt);
            b.IndexerProperty<DateTime>(RecordColumns.UpdatedAt);
            b.IndexerProperty<Guid?>(RecordColumns.CreatedBy);
            b.IndexerProperty<Guid?>(RecordColumns.UpdatedBy);
            b.IndexerProperty<Guid?>(RecordColumns.OwnerId);
            b.IndexerProperty<long>(RecordColumns.Version).IsConcurrencyToken();
            b.IndexerProperty<DateTime?>(RecordColumns.DeletedAt);
            b.HasIndex(RecordColumns.OwnerId);

            // Removed fields stay in the model: their columns and data are kept until a purge.
            foreach (var field in entity.Fields)
            {
                foreach (var column in field.Of().Columns(field))
                {
                    b.IndexerProperty(column.ClrType, column.Name);
                }

                if (field.Unique)
                {
                    b.HasIndex(field.ColumnName).IsUnique().HasFilter(RecordColumns.NotDeletedFilterSql);
                }
                else if (field.Indexed && field.Type != FieldType.Lookup)
                {
                    // Partial like the unique ones: lists leave deleted records out, so the index
                    // holds only what they read, and counts per value come from the index alone.
                    b.HasIndex(field.ColumnName).HasFilter(RecordColumns.NotDeletedFilterSql);
                }
            }

            // Composite indexes end with the id: keyset paging breaks ties by it.
            foreach (var index in entity.Indexes)
            {
                b.HasIndex([.. index.Columns(entity), RecordColumns.Id]).HasFilter(RecordColumns.NotDeletedFilterSql);
            }
        });

    private static void ConfigureLookups(ModelBuilder builder, EntityDefinition entity, MetadataSnapshot snapshot) =>
        builder.SharedTypeEntity<Dictionary<string, object>>(entity.Name, b =>
        {
            foreach (var field in entity.Fields.Where(f => f.Type == FieldType.Lookup && f.LookupEntity is not null))
            {
                if (snapshot.FindAny(field.LookupEntity!) is null)
                {
                    continue;
                }

                // Records are soft-deleted, never removed, so the key only guards against ids
                // that never existed; Restrict keeps a stray hard delete from cascading.
                b.HasOne(field.LookupEntity!, null)
                    .WithMany()
                    .HasForeignKey(field.ColumnName)
                    .OnDelete(DeleteBehavior.Restrict);
            }
        });
}
