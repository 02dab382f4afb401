namespace CrmEngine.Engine.Storage;

/// <summary>
/// Counts, for the code that started it (tests), how its queries and writes ran: which queries took
/// the engine's own parameter extraction or EF's, which lists were read without EF, how many writes
/// shared a commit, how often the after stage marked its rows. Flows with the async context (into tasks started from it), so tests running
/// side by side count only their own work.
/// </summary>
public sealed class StorageProbe
{
    private static readonly AsyncLocal<StorageProbe?> Active = new();

    public int OwnExtractions { get; private set; }

    public int EfExtractions { get; private set; }

    public int DirectReads { get; private set; }

    /// <summary>Commits made for more than one write.</summary>
    public int SharedCommits { get; private set; }

    /// <summary>The most writes one commit was made for.</summary>
    public int LargestGroup { get; private set; }

    /// <summary>Writes that marked outbox rows handled.</summary>
    public int OutboxMarks { get; private set; }

    /// <summary>Starts counting the work this async flow does from now on.</summary>
    public static StorageProbe Start() => Active.Value = new StorageProbe();

    public static void GroupCommitted(int members)
    {
        if (members > 1 && Active.Value is { } probe)
        {
            lock (probe)
            {
                probe.SharedCommits++;
                probe.LargestGroup = Math.Max(probe.LargestGroup, members);
            }
        }
    }

    public static void OutboxMarked() => Count(static probe => probe.OutboxMarks++);

    public static void OwnExtraction() => Count(static probe => probe.OwnExtractions++);

    public static void EfExtraction() => Count(static probe => probe.EfExtractions++);

    public static void DirectRead() => Count(static probe => probe.DirectReads++);

    /// <summary>Counts on the probe this flow started, if any (the delegate runs only then); work it started may count from several threads.</summary>
    private static void Count(Action<StorageProbe> count)
    {
        if (Active.Value is { } probe)
        {
            lock (probe)
            {
                count(probe);
            }
        }
    }
}
