using CrmEngine.Engine;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// Refuses documents that would cost too much before graphql-dotnet validates them: some standard
/// validation rules grow with the square of what they compare, so a hostile document must be
/// stopped by linear walks first, each stopping at the first limit crossed. The counts as written
/// are taken from the text before it is parsed (<see cref="CheckText"/>); the shape (fields as
/// expanded, merge comparisons and depth) from the parsed document. Both depend on the document
/// alone and are checked once per document text;
/// the cost (values it can produce) depends on page sizes that variables may carry, and is checked
/// on every request.
/// </summary>
public sealed class DocumentGuard(IOptions<QueryLimits> limits, IOptions<CrmEngineOptions> engine)
{
    /// <summary>
    /// The fields the text holds as written, or the refusal of the first count (fields, aliases,
    /// directives, fragments, variables) past its limit: run before parsing, which is what a
    /// document over a limit would otherwise cost.
    /// </summary>
    public GuardVerdict<int> CheckText(string query) => Census(new StringSource(query));

    /// <summary>
    /// <see cref="CheckText"/> on a document still inside its JSON body: <paramref name="escaped"/> is
    /// the JSON string's UTF-8 bytes without its quotes, escapes undecoded. A transport counts a large
    /// document this way before making it a string, which for a hostile document is garbage the size
    /// of the body.
    /// </summary>
    public GuardVerdict<int> CheckJsonText(ReadOnlySpan<byte> escaped) => Census(new JsonStringSource(escaped));

    private GuardVerdict<int> Census<TSource>(TSource source)
        where TSource : ITextSource, allows ref struct
    {
        try
        {
            var census = new TextCensus<TSource>(source, limits.Value);
            census.Run();
            return new(census.Fields, null);
        }
        catch (GuardRefusal refused)
        {
            return new(0, Refusal(refused));
        }
    }

    /// <summary>The parsed document's shape, or the refusal of the first limit it crosses; <paramref name="writtenFields"/> is what <see cref="CheckText"/> counted.</summary>
    public GuardVerdict<DocumentShape> CheckShape(GraphQLDocument document, int writtenFields)
    {
        try
        {
            var walk = new ShapeWalk(document, limits.Value);
            walk.Run();
            return new(new DocumentShape(Math.Max(writtenFields, walk.Fields), walk.MergePairs), null);
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
