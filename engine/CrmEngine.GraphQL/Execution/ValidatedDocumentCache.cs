using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// Parsed and validated documents per schema instance, so a query a client sends again skips
/// parsing and validation (graphql-dotnet then runs only <c>CachedDocumentValidationRules</c>).
/// Keyed by the schema object itself: each tenant and metadata version has its own schema, so a
/// document validated against one is never reused against another, and a schema's entries go when
/// the schema does. Bounded per schema; once full, new documents are simply not cached.
/// </summary>
public sealed class ValidatedDocumentCache
{
    public const int MaxDocumentsPerSchema = 2000;
    public const int MaxQueryLength = 20_000;

    private readonly ConditionalWeakTable<ISchema, ConcurrentDictionary<string, GraphQLDocument>> _bySchema = new();

    public GraphQLDocument? Find(ISchema schema, string query) =>
        _bySchema.TryGetValue(schema, out var documents) && documents.TryGetValue(query, out var document) ? document : null;

    /// <summary>Keeps a document that executed without request errors (so it passed validation).</summary>
    public void Add(ISchema schema, string query, GraphQLDocument document)
    {
        if (query.Length > MaxQueryLength)
        {
            return;
        }

        var documents = _bySchema.GetValue(schema, _ => new ConcurrentDictionary<string, GraphQLDocument>(StringComparer.Ordinal));
        if (documents.Count < MaxDocumentsPerSchema)
        {
            documents.TryAdd(query, document);
        }
    }
}
