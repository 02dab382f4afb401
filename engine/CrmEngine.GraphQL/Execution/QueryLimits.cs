namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// What one GraphQL document may ask for, checked before graphql-dotnet validates or runs it
/// (configuration section <c>Crm:Endpoint</c>, shared with the host's HTTP limits).
/// </summary>
public sealed class QueryLimits
{
    public const string Section = "Crm:Endpoint";

    /// <summary>Fields nested inside each other, counted through fragments.</summary>
    public int MaxDepth { get; set; } = 20;

    /// <summary>
    /// The estimated number of values a document can produce: every selected field costs one per
    /// record it can appear on, and a paged field multiplies what is under it by its page size.
    /// </summary>
    public int MaxComplexity { get; set; } = 100_000;

    /// <summary>Aliased fields in one document.</summary>
    public int MaxAliases { get; set; } = 100;

    /// <summary>Turn off to refuse <c>__schema</c> and <c>__type</c> queries and the SDL download (production APIs often do).</summary>
    public bool Introspection { get; set; } = true;
}
