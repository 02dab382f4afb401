using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Query.Internal;

namespace CrmEngine.Postgres;

/// <summary>
/// Npgsql's SQL generator with its reverse null ordering on: every ORDER BY says NULLS FIRST when
/// ascending and NULLS LAST when descending, so empty values sort as the smallest, as on SQLite,
/// without the extra CASE sort key the engine would otherwise add (which no index can serve).
/// Npgsql keeps this switch internal because it would not build indexes to match; ours are built
/// NULLS FIRST by <see cref="UsingCastMigrationsSqlGenerator"/>.
/// </summary>
#pragma warning disable EF1001 // Npgsql's generator and options live in its Internal namespaces; this mirrors NpgsqlQuerySqlGeneratorFactory.
internal sealed class NullsSmallestSqlGeneratorFactory(QuerySqlGeneratorDependencies dependencies, IRelationalTypeMappingSource typeMappings, INpgsqlSingletonOptions options)
    : IQuerySqlGeneratorFactory
{
    public QuerySqlGenerator Create() => new NpgsqlQuerySqlGenerator(dependencies, typeMappings, reverseNullOrderingEnabled: true, options.PostgresVersion);
}
#pragma warning restore EF1001
