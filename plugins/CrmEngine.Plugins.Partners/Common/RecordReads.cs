namespace CrmEngine.Plugins.Partners.Common;

/// <summary>Reads for jobs that write what they read.</summary>
internal static class RecordReads
{
    /// <summary>Every match, read before any is written (a write must not shift the pages being read).</summary>
    public static async Task<List<CrmRecord>> AllAsync(IRecordApi records, string entity, Condition where, CancellationToken cancellationToken)
    {
        var all = new List<CrmRecord>();
        await foreach (var record in records.QueryAllAsync(entity, where, cancellationToken: cancellationToken))
        {
            all.Add(record);
        }

        return all;
    }
}
