using CrmEngine.Engine;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// Refuses documents that would cost too much before graphql-dotnet validates them: some standard
/// validation rules grow with the square of what they compare, so a hostile document must be
/// stopped by linear walks first, each stopping at the first limit crossed. The shape (counts as
/// written and as expanded) depends on the document alone and is checked once per document text;
/// the cost (values it can produce) depends on page sizes that variables may carry, and is checked
/// on every request.
/// </summary>
public sealed class DocumentGuard(IOptions<QueryLimits> limits, IOptions<CrmEngineOptions> engine)
{
    /// <summary>The document's shape, or the refusal of the first limit it crosses.</summary>
    public GuardVerdict<DocumentShape> CheckShape(GraphQLDocument document)
    {
        try
        {
            var census = new DocumentCensus(limits.Value);
            census.Run(document);
            var walk = new ShapeWalk(document, limits.Value);
            walk.Run();
            return new(new DocumentShape(Math.Max(census.Fields, walk.Fields), walk.MergePairs), null);
        }
        catch (GuardRefusal refused)
        {
            return new(default, Refusal(refused));
        }
    }

    /// <summary>How many values the request can produce, or the refusal when that is over the limit.</summary>
    public GuardVerdict<long> CheckCost(ISchema schema, GraphQLDocument document, Inputs? variables)
    {
        try
        {
            var walk = new CostWalk(schema, document, variables, limits.Value, engine.Value.DefaultPageSize, engine.Value.MaxPageSize);
            walk.Run();
            return new(walk.Complexity, null);
        }
        catch (GuardRefusal refused)
        {
            return new(0, Refusal(refused));
        }
    }

    private static ExecutionError Refusal(GuardRefusal refused) => new(refused.Message) { Code = refused.Code };
}

/// <summary>What validating a document involves: fields once fragments are expanded, and the pairs the merge check compares.</summary>
public readonly record struct DocumentShape(int Fields, int MergePairs);

/// <summary>A guard's finding, or its refusal.</summary>
public readonly record struct GuardVerdict<T>(T Value, ExecutionError? Refusal);
