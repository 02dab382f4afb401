using CrmEngine.Engine.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// Works out the DDL between two metadata versions by diffing their EF models
/// (IMigrationsModelDiffer) and letting the provider write the SQL (IMigrationsSqlGenerator).
/// No DDL is written by hand.
/// </summary>
/// <remarks>
/// The DDL between two storage shapes depends on nothing but the shapes, so plans are kept by
/// their storage signatures: every new tenant goes through the same steps (the engine's tables,
/// then each default plugin), and only the first pays for building and diffing the two models.
/// </remarks>
public sealed class SchemaMigrator(TenantModelFactory factory)
{
    private readonly BoundedCache<IReadOnlyList<MigrationCommand>> _plans = new(256);

    /// <summary>The DDL that takes a store's entity tables from <paramref name="current"/> to <paramref name="next"/>.</summary>
    public IReadOnlyList<MigrationCommand> PlanEntities(MetadataSnapshot current, MetadataSnapshot next) =>
        next.StorageSignature == current.StorageSignature
            ? []
            : _plans.GetOrAdd($"{factory.Provider.Name}:entities:{current.StorageSignature}:{next.StorageSignature}",
                () => Plan(factory.BuildForDiff(current, ModelScope.Entities), factory.BuildForDiff(next, ModelScope.Entities)));

    /// <summary>The DDL that makes the engine's system tables, at their current versions, in a new store.</summary>
    public IReadOnlyList<MigrationCommand> PlanNewSystemTables() =>
        _plans.GetOrAdd($"{factory.Provider.Name}:system:{factory.System.Signature}",
            () => Plan(null, factory.BuildForDiff(MetadataSnapshot.Empty, ModelScope.System)));

    public IReadOnlyList<MigrationCommand> Plan(IModel? source, IModel target)
    {
        using var services = factory.Provider.CreateServiceContext();
        var operations = services.GetService<IMigrationsModelDiffer>().GetDifferences(source?.GetRelationalModel(), target.GetRelationalModel());
        return operations.Count == 0 ? [] : services.GetService<IMigrationsSqlGenerator>().Generate(operations, target);
    }
}
