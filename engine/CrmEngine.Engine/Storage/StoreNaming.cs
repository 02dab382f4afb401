using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// How the model names things in a store: tables and columns are snake_case (EFCore.NamingConventions,
/// so a system row's <c>NextAttemptAt</c> is the column <c>next_attempt_at</c> without a mapping of its
/// own), while primary keys, foreign keys and indexes keep EF Core's default names (<c>PK_crm_audit</c>,
/// <c>IX_lead_owner_id</c>). Every deployed store has those names, and the schema upgrader drops and
/// renames keys and indexes by name, so they must not change; the approved store schemas
/// (tests/CrmEngine.Host.Tests/Storage) hold both to it.
/// </summary>
public static class StoreNaming
{
    /// <summary>Adds the naming convention to the options of the context whose services build tenant models.</summary>
    public static DbContextOptionsBuilder UseStoreNaming(this DbContextOptionsBuilder builder) =>
        builder.UseSnakeCaseNamingConvention(CultureInfo.InvariantCulture);

    /// <summary>Adds the step that gives keys and indexes back their default names, after every other convention.</summary>
    public static ConventionSet KeepingDefaultConstraintNames(this ConventionSet conventions)
    {
        conventions.ModelFinalizingConventions.Add(new DefaultConstraintNamesConvention());
        return conventions;
    }

    /// <summary>
    /// Undoes the naming convention's renaming of keys, foreign keys and indexes: a name the convention
    /// set that differs from EF Core's default only in case is removed, so the default applies again.
    /// Names set explicitly (<c>HasDatabaseName</c>) or made unique by EF Core are left as they are.
    /// </summary>
    private sealed class DefaultConstraintNamesConvention : IModelFinalizingConvention
    {
        public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
        {
            foreach (var entity in modelBuilder.Metadata.GetEntityTypes())
            {
                foreach (var key in entity.GetDeclaredKeys())
                {
                    Restore(key.Builder, key.GetNameConfigurationSource(), key.GetName(), key.GetDefaultName());
                }

                foreach (var foreignKey in entity.GetDeclaredForeignKeys())
                {
                    Restore(foreignKey.Builder, foreignKey.GetConstraintNameConfigurationSource(), foreignKey.GetConstraintName(), foreignKey.GetDefaultName());
                }

                foreach (var index in entity.GetDeclaredIndexes())
                {
                    Restore(index.Builder, index.GetDatabaseNameConfigurationSource(), index.GetDatabaseName(), index.GetDefaultDatabaseName());
                }
            }
        }

        private static void Restore(IConventionAnnotatableBuilder builder, ConfigurationSource? source, string? name, string? defaultName)
        {
            if (source == ConfigurationSource.Convention && name != defaultName && string.Equals(name, defaultName, StringComparison.OrdinalIgnoreCase))
            {
                builder.HasNoAnnotation(RelationalAnnotationNames.Name);
            }
        }
    }
}
