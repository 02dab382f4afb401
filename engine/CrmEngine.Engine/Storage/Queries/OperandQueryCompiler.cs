#pragma warning disable EF1001 // QueryCompiler is EF's internal query entry point; ExtractParameters is its documented-virtual seam (EF pinned in Directory.Packages.props).
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmEngine.Engine.Storage.Queries;

/// <summary>
/// EF's query compiler with the engine's cheap parameter extraction (<see cref="OperandExtractor"/>)
/// tried first; EF then looks up and runs the compiled query exactly as before. Trees the extractor
/// does not take (closures, client-evaluated calls) go through EF's own extraction.
/// </summary>
internal sealed class OperandQueryCompiler(
    IQueryContextFactory queryContextFactory,
    ICompiledQueryCache compiledQueryCache,
    ICompiledQueryCacheKeyGenerator compiledQueryCacheKeyGenerator,
    IDatabase database,
    IDiagnosticsLogger<DbLoggerCategory.Query> logger,
    ICurrentDbContext currentContext,
    IEvaluatableExpressionFilter evaluatableExpressionFilter,
    IModel model)
    : QueryCompiler(queryContextFactory, compiledQueryCache, compiledQueryCacheKeyGenerator, database, logger, currentContext, evaluatableExpressionFilter, model)
{
    public override Expression ExtractParameters(Expression query, Dictionary<string, object?> parameters, IDiagnosticsLogger<DbLoggerCategory.Query> logger, bool compiledQuery = false, bool generateContextAccessors = false)
    {
        if (!compiledQuery && !generateContextAccessors)
        {
            if (OperandExtractor.TryExtract(query, parameters) is { } extracted)
            {
                StorageProbe.OwnExtraction();
                return extracted;
            }

            StorageProbe.EfExtraction();
        }

        return base.ExtractParameters(query, parameters, logger, compiledQuery, generateContextAccessors);
    }

    /// <summary>Puts the compiler into a tenant context's options.</summary>
    public static DbContextOptionsBuilder Use(DbContextOptionsBuilder builder) => builder.ReplaceService<IQueryCompiler, OperandQueryCompiler>();
}
