using CrmEngine.Engine.Errors;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// Parses GraphQL text into a document or the request error to answer with. Every parser failure
/// becomes a request error here, including the parser's own faults on some malformed input (it has
/// thrown IndexOutOfRangeException while building a message), so graphql-dotnet never parses a
/// text itself and no malformed document reaches a client as a 500.
/// </summary>
public static class DocumentParsing
{
    /// <summary>
    /// Documents at least this long are parsed without their comments and without positions, so
    /// their validation errors carry no locations: graphql-dotnet finds an error's line and column
    /// by reading the text from its start, once per error, which for a long document with many
    /// errors (a megabyte of padding, then a hundred unused variables) costs seconds of CPU. The
    /// parser's reading of long comments is slow as well; taking them out first leaves every
    /// token's line and column as they were, so syntax errors still say where they are.
    /// </summary>
    public const int LocatedChars = 64 * 1024;

    private static readonly GraphQLParser.ParserOptions Unlocated = new() { Ignore = GraphQLParser.IgnoreOptions.Comments | GraphQLParser.IgnoreOptions.Locations };

    public static (GraphQLDocument? Document, ExecutionError? Error) Parse(string query)
    {
        try
        {
            return (query.Length < LocatedChars
                ? GraphQLParser.Parser.Parse(query)
                : GraphQLParser.Parser.Parse(WithoutComments(query), Unlocated), null);
        }
        catch (GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
        {
            return (null, new ExecutionError("The query nests deeper than the parser allows, far past the levels of fields one request may use.") { Code = ErrorCodes.QueryTooDeep });
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException e)
        {
            return (null, new SyntaxError(e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any other fault of the parser is still malformed input, not a server error.
            return (null, new ExecutionError("The document is not valid GraphQL: the parser could not read it.") { Code = ErrorCodes.SyntaxError });
        }
    }

    /// <summary>
    /// The text with its comments taken out and everything else kept where it was: a comment runs to
    /// the end of its line, so every token keeps its line and column. The same string when it has none.
    /// </summary>
    public static string WithoutComments(string text) => WithoutComments(text.AsSpan(), text);

    /// <summary><see cref="WithoutComments(string)"/> on text not yet made a string (a transport's pooled buffer).</summary>
    public static string WithoutComments(ReadOnlySpan<char> text) => WithoutComments(text, null);

    private static string WithoutComments(ReadOnlySpan<char> text, string? asString)
    {
        var comments = new List<Range>();
        var tokens = new Guard.GraphQLTokens<Guard.StringSource>(new Guard.StringSource(text), comments);
        while (tokens.Next().Kind != Guard.TokenKind.None)
        {
        }

        if (comments.Count == 0)
        {
            return asString ?? new string(text);
        }

        var length = text.Length - comments.Sum(c => c.End.Value - c.Start.Value);
        var kept = new char[length];
        var (from, to) = (0, 0);
        foreach (var comment in comments)
        {
            text[from..comment.Start.Value].CopyTo(kept.AsSpan(to));
            to += comment.Start.Value - from;
            from = comment.End.Value;
        }

        text[from..].CopyTo(kept.AsSpan(to));
        return new string(kept);
    }

    /// <summary>Whether the document was parsed without positions (see <see cref="LocatedChars"/>).</summary>
    public static bool IsUnlocated(GraphQLDocument document) => document.Location.End == 0;
}
