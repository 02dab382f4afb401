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
public sealed class SchemaMigrator(TenantModelFactory factory)
{
    public IReadOnlyList<MigrationCommand> Plan(MetadataSnapshot? from, MetadataSnapshot to, ModelScope scope)
    {
        var source = from is null ? null : factory.BuildForDiff(from, scope);
        var target = factory.BuildForDiff(to, scope);
        return Plan(source, target);
    }

    public IReadOnlyList<MigrationCommand> Plan(IModel? source, IModel target)
    {
        using var services = factory.Provider.CreateServiceContext();
        var operations = services.GetService<IMigrationsModelDiffer>().GetDifferences(source?.GetRelationalModel(), target.GetRelationalModel());
        return operations.Count == 0 ? [] : services.GetService<IMigrationsSqlGenerator>().Generate(operations, target);
    }
}
