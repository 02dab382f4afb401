using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations;

namespace CrmEngine.Postgres;

/// <summary>
/// Npgsql's migrations SQL generator, with two additions. Every index is built NULLS FIRST, the
/// order the engine's queries ask for (<see cref="NullsSmallestSqlGeneratorFactory"/>), so a
/// sorted page is read from the index, forwards or backwards, instead of sorting every match.
/// And a column whose type changes is converted
/// with <c>USING "column"::newtype</c>. PostgreSQL refuses a type change it has no implicit cast for
/// (text to bigint) even on an empty column, and Npgsql leaves the USING clause to hand-written
/// migrations by design. Here the engine has already converted and checked every value
/// (<c>TypeChange</c>) and emptied the column before the DDL runs, so the cast only has NULLs to
/// convert. The type name comes from EF's type mapping, identifiers from EF's SQL helper.
/// </summary>
#pragma warning disable EF1001 // The generator's constructor takes Npgsql's options interface, which is marked internal.
public sealed class UsingCastMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, INpgsqlSingletonOptions options)
    : NpgsqlMigrationsSqlGenerator(dependencies, options)
#pragma warning restore EF1001
{
    protected override void Generate(CreateIndexOperation operation, IModel? model, MigrationCommandListBuilder builder, bool terminate = true)
    {
#pragma warning disable EF1001 // The annotation's name lives in Npgsql's Internal namespace; it is what HasNullSortOrder sets.
        operation[NpgsqlAnnotationNames.IndexNullSortOrder] ??= Enumerable.Repeat(NullSortOrder.NullsFirst, operation.Columns.Length).ToArray();
#pragma warning restore EF1001
        base.Generate(operation, model, builder, terminate);
    }

    protected override void Generate(AlterColumnOperation operation, IModel? model, MigrationCommandListBuilder builder)
    {
        if (operation.ColumnType is not { } newType || operation.OldColumn.ColumnType is not { } oldType || string.Equals(newType, oldType, StringComparison.OrdinalIgnoreCase))
        {
            base.Generate(operation, model, builder);
            return;
        }

        var helper = Dependencies.SqlGenerationHelper;
        var column = helper.DelimitIdentifier(operation.Name);
        builder
            .Append("ALTER TABLE ").Append(helper.DelimitIdentifier(operation.Table, operation.Schema))
            .Append(" ALTER COLUMN ").Append(column)
            .Append(" TYPE ").Append(newType)
            .Append(" USING ").Append(column).Append("::").Append(newType)
            .AppendLine(helper.StatementTerminator);
        builder.EndCommand();

        // The rest of the change (nullability, default) as Npgsql writes it, with the type already in place.
        operation.OldColumn.ColumnType = newType;
        operation.OldColumn.ClrType = operation.ClrType;
        base.Generate(operation, model, builder);
    }
}
