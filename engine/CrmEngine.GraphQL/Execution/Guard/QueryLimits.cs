namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// What one GraphQL document may ask for, checked in one linear pass before graphql-dotnet
/// validates or runs it (configuration section <c>Crm:Endpoint</c>, shared with the host's HTTP
/// limits). Some standard validation rules cost the square of what they compare, so every count
/// that drives validation's cost is bounded here, not only the size of the result.
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

    /// <summary>
    /// Fields in one document: as written, and again with every fragment counted each time it is
    /// spread (what validation and execution walk).
    /// </summary>
    public int MaxFields { get; set; } = 1000;

    /// <summary>Directives (<c>@include</c>, <c>@skip</c>, ...) written in one document.</summary>
    public int MaxDirectives { get; set; } = 100;

    /// <summary>Fragment definitions in one document.</summary>
    public int MaxFragments { get; set; } = 50;

    /// <summary>Variables declared in one document, over all its operations.</summary>
    public int MaxVariables { get; set; } = 100;

    /// <summary>
    /// Validation checks that selections sharing a response name can be merged, and that fragments
    /// spread side by side agree, by comparing them in pairs. This bounds those pairs: a selection
    /// set where one name is selected k times costs k(k-1)/2, and so do k fragments spread in it;
    /// pairs of identical leaves (the same field with the same arguments) count a fiftieth each.
    /// </summary>
    public int MaxMergePairs { get; set; } = 500;

    /// <summary>Turn off to refuse <c>__schema</c> and <c>__type</c> queries and the SDL download (production APIs often do).</summary>
    public bool Introspection { get; set; } = true;
}
