using CrmEngine.Engine.Records;

namespace CrmEngine.GraphQL.Execution;

/// <summary>What every resolver of a request sees: the caller's session and preferred locale.</summary>
public sealed class CrmUserContext : Dictionary<string, object?>
{
    public CrmUserContext(CrmSession session, string? locale)
    {
        Session = session;
        Locale = locale;
    }

    public CrmSession Session { get; }

    /// <summary>The locale labels use when a query names none (from Accept-Language).</summary>
    public string? Locale { get; }
}
