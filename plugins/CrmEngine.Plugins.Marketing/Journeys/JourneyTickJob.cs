using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// Every minute, for each live journey: people now in its entry segment enter; members matching a
/// version's goal or exit filter leave; and every member whose step is due runs it, and the steps
/// after it that are due at once, each with its unique run record written with its effect (so a
/// run cut short resumes where it stopped, and nothing runs twice). A paused journey is skipped:
/// its members wait, and run what fell due once it is resumed.
/// </summary>
internal sealed class JourneyTickJob : IScheduledJob
{
    /// <summary>How many members' writes one CreateManyAsync call takes (what a tick holds in memory at once).</summary>
    private const int Slice = 2000;

    public string Name => "journey-tick";

    public string Cron => "* * * * *";

    public Task RunAsync(IJobContext context, CancellationToken cancellationToken) => TickAsync(context.Records, context.ScheduledAt, cancellationToken);

    public static async Task TickAsync(IRecordApi records, DateTime now, CancellationToken cancellationToken)
    {
        await foreach (var journey in records.QueryAllAsync(JourneyEntity.Name, Condition.Eq("status", "live"), cancellationToken: cancellationToken))
        {
            await EnterFromSegmentAsync(records, journey, now, cancellationToken);
            await LeaveAsync(records, journey, now, cancellationToken);
            await RunDueAsync(records, journey, now, cancellationToken);
        }
    }

    /// <summary>
    /// Runs the journey's due steps in waves: each wave writes the run record of every due member's
    /// current step, a slice at a time through CreateManyAsync (a chunk is a transaction, each run under
    /// a savepoint of its own, so a run refused because it ran already takes nothing else with it);
    /// members whose next step is due at once are due in the next wave. A journey has no loops, so the
    /// waves end; a wave in which nothing ran (another host got there first) ends them too.
    /// </summary>
    private static async Task RunDueAsync(IRecordApi records, CrmRecord journey, DateTime now, CancellationToken cancellationToken)
    {
        var due = Condition.Eq("journey", journey.Id).And(Condition.Eq("status", "active")).And(Condition.Lte("nextRunAt", now));
        var stopped = new HashSet<Guid>(); // members a run was refused for: they wait for the next tick, as before
        for (var wave = 0; wave < 1000; wave++)
        {
            var runs = new List<(Guid Member, IReadOnlyDictionary<string, object?> Run)>();
            await foreach (var member in records.QueryAllAsync(JourneyMemberEntity.Name, due, cancellationToken: cancellationToken))
            {
                if (member.GetValue<string>("currentStep") is { } step && !stopped.Contains(member.Id))
                {
                    runs.Add((member.Id, Run(member.Id, step, now)));
                }
            }

            var ran = 0;
            foreach (var slice in runs.Chunk(Slice))
            {
                var outcomes = await records.CreateManyAsync(JourneyStepRunEntity.Name, [.. slice.Select(r => r.Run)], cancellationToken);
                ran += outcomes.Count(o => o.Succeeded);
                stopped.UnionWith(slice.Where((_, i) => !outcomes[i].Succeeded).Select(r => r.Member));
            }

            if (ran == 0)
            {
                return;
            }
        }
    }

    /// <summary>A step's run record (writing it runs the step: StepRunner), whose unique key (member and step) lets it run once.</summary>
    private static FieldValues Run(Guid memberId, string step, DateTime now) => new() { ["member"] = memberId, ["step"] = step, ["ranAt"] = now, ["key"] = $"{memberId:N}:{step}" };

    private static async Task EnterFromSegmentAsync(IRecordApi records, CrmRecord journey, DateTime now, CancellationToken cancellationToken)
    {
        if (await JourneyEnrolment.CurrentAsync(records, journey, cancellationToken) is not var (version, definition)
            || definition.EntryKind != "segment" || definition.EntrySegment is not { } segmentId || definition.Start is null || await records.GetAsync(SegmentEntity.Name, segmentId, cancellationToken) is not { } segment)
        {
            return;
        }

        var (people, _) = await SegmentMatcher.MatchAsync(records, SegmentDefinition.Of(segment), now, cancellationToken);
        await foreach (var member in records.QueryAllAsync(JourneyMemberEntity.Name, Condition.Eq("journey", journey.Id), cancellationToken: cancellationToken))
        {
            people.Remove(member.GetValue<Guid>(definition.Entity));
        }

        foreach (var slice in people.Order().Chunk(Slice))
        {
            await JourneyEnrolment.EnrolManyAsync(records, journey, version, definition, slice, now, $"in segment {segment.GetValue<string>("name")}", cancellationToken);
        }
    }

    /// <summary>Active members whose person now matches their version's goal (or else its exit filter) leave, through a run of $goal or $exit.</summary>
    private static async Task LeaveAsync(IRecordApi records, CrmRecord journey, DateTime now, CancellationToken cancellationToken)
    {
        var entity = journey.GetValue<string>("of")!;
        await foreach (var version in records.QueryAllAsync(JourneyVersionEntity.Name, Condition.Eq("journey", journey.Id), cancellationToken: cancellationToken))
        {
            var definition = JourneyDefinition.Read(version.GetValue, entity);
            foreach (var (filter, step) in new[] { (definition.Goal, StepRunner.Goal), (definition.Exit, StepRunner.Exit) })
            {
                if (filter is null)
                {
                    continue;
                }

                var leaving = new List<IReadOnlyDictionary<string, object?>>();
                await foreach (var member in records.QueryAllAsync(JourneyMemberEntity.Name, Condition.Eq("journeyVersion", version.Id).And(Condition.Eq("status", "active")).And(Condition.Through(entity, filter)), cancellationToken: cancellationToken))
                {
                    leaving.Add(Run(member.Id, step, now));
                }

                // A run refused (another host took the member out first) leaves the others alone.
                foreach (var slice in leaving.Chunk(Slice))
                {
                    await records.CreateManyAsync(JourneyStepRunEntity.Name, slice, cancellationToken);
                }
            }
        }
    }
}
