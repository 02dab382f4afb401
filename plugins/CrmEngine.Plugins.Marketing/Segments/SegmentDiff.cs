using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>
/// Brings a dynamic segment's members in line with its people: the current members are read a page
/// at a time and diffed against the people in memory, and only the difference is written (removals
/// one by one, they are few; additions through <c>CreateManyAsync</c> in slices). A refresh that finds
/// nothing to change writes no member.
/// </summary>
internal static class SegmentDiff
{
    /// <summary>How many new members one CreateManyAsync call takes (what the refresh holds in memory at once besides the people).</summary>
    private const int Slice = 1000;

    private static readonly AsyncLocal<CrmRecord?> Diffing = new();

    /// <summary>
    /// The segment whose diffed members a refresh is writing now, else null: each new member is known
    /// not to be in it already (the members were read just before), so the member guard neither
    /// reads the segment again nor runs its one-query-per-member check for a duplicate. Two refreshes
    /// of one segment racing could add a person twice; the next refresh removes the extra one (it
    /// keeps one member per person).
    /// </summary>
    public static CrmRecord? Refreshing => Diffing.Value;

    public static async Task<(int Added, int Removed)> ApplyAsync(IRecordApi records, CrmRecord segment, string entity, HashSet<Guid> people, CancellationToken cancellationToken)
    {
        var kept = new HashSet<Guid>();
        var gone = new List<Guid>();
        await foreach (var member in records.QueryAllAsync(SegmentMemberEntity.Name, Condition.Eq("segment", segment.Id), cancellationToken: cancellationToken))
        {
            if (member.GetValue<Guid?>(entity) is not { } person || !people.Contains(person) || !kept.Add(person))
            {
                gone.Add(member.Id);
            }
        }

        foreach (var member in gone)
        {
            await Writes.RequireAsync(records.DeleteAsync(SegmentMemberEntity.Name, member, cancellationToken: cancellationToken));
        }

        var added = 0;
        Diffing.Value = segment;
        try
        {
            foreach (var slice in people.Where(p => !kept.Contains(p)).Order().Chunk(Slice))
            {
                var outcomes = await records.CreateManyAsync(SegmentMemberEntity.Name, [.. slice.Select(person => (IReadOnlyDictionary<string, object?>)new FieldValues { ["segment"] = segment.Id, [entity] = person })], cancellationToken);
                foreach (var outcome in outcomes)
                {
                    outcome.Require();
                }

                added += outcomes.Count;
            }
        }
        finally
        {
            Diffing.Value = null;
        }

        return (added, gone.Count);
    }
}
