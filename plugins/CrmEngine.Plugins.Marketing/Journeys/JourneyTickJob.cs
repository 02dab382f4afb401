using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// Every minute, for each live journey: people now in its entry segment enter; members matching a
/// version's goal or exit filter leave; and every member whose step is due runs it, and the steps
/// after it that are due at once, each in a transaction of its own with its unique run record (so a
/// run cut short resumes where it stopped, and nothing runs twice). A paused journey is skipped:
/// its members wait, and run what fell due once it is resumed.
/// </summary>
internal sealed class JourneyTickJob : IScheduledJob
{
    public string Name => "journey-tick";

    public string Cron => "* * * * *";

    public Task RunAsync(IJobContext context, CancellationToken cancellationToken) => TickAsync(context.Records, context.ScheduledAt, cancellationToken);

    public static async Task TickAsync(IRecordApi records, DateTime now, CancellationToken cancellationToken)
    {
        await foreach (var journey in records.QueryAllAsync(JourneyEntity.Name, Condition.Eq("status", "live"), cancellationToken: cancellationToken))
        {
            await EnterFromSegmentAsync(records, journey, now, cancellationToken);
            await LeaveAsync(records, journey, now, cancellationToken);
            var due = new List<Guid>();
            await foreach (var member in records.QueryAllAsync(JourneyMemberEntity.Name, Condition.Eq("journey", journey.Id).And(Condition.Eq("status", "active")).And(Condition.Lte("nextRunAt", now)), cancellationToken: cancellationToken))
            {
                due.Add(member.Id);
            }

            foreach (var member in due)
            {
                await AdvanceAsync(records, member, now, cancellationToken);
            }
        }
    }

    /// <summary>Runs the member's due steps one after another until one is not due yet, they leave, or another run got there first.</summary>
    public static async Task AdvanceAsync(IRecordApi records, Guid memberId, DateTime now, CancellationToken cancellationToken)
    {
        // A journey has no loops, so a member can't run more steps in one go than it has; the cap only guards the loop.
        for (var i = 0; i < 1000; i++)
        {
            var member = await records.GetAsync(JourneyMemberEntity.Name, memberId, cancellationToken);
            if (member is null || member.GetValue<string>("status") != "active" || member.GetValue<string>("currentStep") is not { } step || member.GetValue<DateTime?>("nextRunAt") > now)
            {
                return;
            }

            if (!await RunAsync(records, member.Id, step, now, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Writes a step's run record, which runs the step (StepRunner); false when the store or the runner refused it (it ran already).</summary>
    public static async Task<bool> RunAsync(IRecordApi records, Guid memberId, string step, DateTime now, CancellationToken cancellationToken) =>
        (await records.CreateAsync(JourneyStepRunEntity.Name, new FieldValues { ["member"] = memberId, ["step"] = step, ["ranAt"] = now, ["key"] = $"{memberId:N}:{step}" }, cancellationToken)).Succeeded;

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

        foreach (var person in people.Order())
        {
            await JourneyEnrolment.EnrolAsync(records, journey, version, definition, person, now, $"in segment {segment.GetValue<string>("name")}", cancellationToken);
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

                var leaving = new List<Guid>();
                await foreach (var member in records.QueryAllAsync(JourneyMemberEntity.Name, Condition.Eq("journeyVersion", version.Id).And(Condition.Eq("status", "active")).And(Condition.Through(entity, filter)), cancellationToken: cancellationToken))
                {
                    leaving.Add(member.Id);
                }

                foreach (var member in leaving)
                {
                    await RunAsync(records, member, step, now, cancellationToken);
                }
            }
        }
    }
}
