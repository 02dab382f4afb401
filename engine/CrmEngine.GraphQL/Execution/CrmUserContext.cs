using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Records;

namespace CrmEngine.GraphQL.Execution;

/// <summary>What every resolver of a request sees: the caller's session, preferred locale and the request's batch loader.</summary>
public sealed class CrmUserContext : Dictionary<string, object?>
{
    public CrmUserContext(CrmSession session, string? locale, RecordLoader loader)
    {
        Session = session;
        Locale = locale;
        Loader = loader;
    }

    public CrmSession Session { get; }

    /// <summary>The locale labels use when a query names none (from Accept-Language).</summary>
    public string? Locale { get; }

    /// <summary>Batches record reads by id for this request (lookups, search hits, group keys).</summary>
    public RecordLoader Loader { get; }
}
