namespace CrmEngine.Engine.Storage.Queries;

/// <summary>
/// Counts, for the code that started it (tests), how its queries ran: which took the engine's own
/// parameter extraction or EF's, and which lists were read without EF. Flows with the async context,
/// so tests running side by side count only their own queries.
/// </summary>
internal sealed class QueryProbe
{
    private static readonly AsyncLocal<QueryProbe?> Active = new();

    public int OwnExtractions { get; private set; }

    public int EfExtractions { get; private set; }

    public int DirectReads { get; private set; }

    /// <summary>Starts counting the queries this async flow runs from now on.</summary>
    public static QueryProbe Start() => Active.Value = new QueryProbe();

    public static void OwnExtraction()
    {
        if (Active.Value is { } probe)
        {
            probe.OwnExtractions++;
        }
    }

    public static void EfExtraction()
    {
        if (Active.Value is { } probe)
        {
            probe.EfExtractions++;
        }
    }

    public static void DirectRead()
    {
        if (Active.Value is { } probe)
        {
            probe.DirectReads++;
        }
    }
}
