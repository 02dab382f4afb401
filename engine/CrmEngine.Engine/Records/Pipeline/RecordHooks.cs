namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Every validate and before hook a write passes, whichever path writes it (the pipeline, the bulk
/// importer): the hooks registered as services merged, by order, with those of the sources now (a
/// reloaded plugin's). One list for every path, so no path can leave a plugin's hooks out.
/// </summary>
public sealed class RecordHooks(IEnumerable<IRecordHook> hooks, IEnumerable<IRecordHookSource> hookSources)
{
    private readonly IRecordHook[] _registered = hooks.OrderBy(h => h.Order).ToArray();
    private readonly IRecordHookSource[] _sources = hookSources.ToArray();
    private volatile MergedHooks? _merged;

    /// <summary>The hooks now, in their order.</summary>
    public IReadOnlyList<IRecordHook> Current
    {
        get
        {
            if (_sources.Length == 0)
            {
                return _registered;
            }

            if (_merged is { } cached && Unchanged(cached.From))
            {
                return cached.Merged;
            }

            var from = _sources.Select(s => s.Hooks).ToArray();
            // OrderBy is stable: the sources' hooks first among equal orders (IRecordHookSource).
            var hooksNow = from.SelectMany(list => list).Concat(_registered).OrderBy(h => h.Order).ToArray();
            _merged = new MergedHooks(from, hooksNow);
            return hooksNow;
        }
    }

    /// <summary>The sources' lists the merge was made from, and the merge; replaced whole, so readers never see half of one.</summary>
    private sealed record MergedHooks(IReadOnlyList<IRecordHook>[] From, IRecordHook[] Merged);

    // A loop, not LINQ: this runs on every write.
    private bool Unchanged(IReadOnlyList<IRecordHook>[] from)
    {
        for (var i = 0; i < _sources.Length; i++)
        {
            if (!ReferenceEquals(from[i], _sources[i].Hooks))
            {
                return false;
            }
        }

        return true;
    }
}
