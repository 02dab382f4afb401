using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// Runs a journey step when its run record is written: the record's key (member and step) is unique
/// in the store, and the step's effect and the member's move to the next step are written in the
/// same transaction. A second attempt at the same step (another host, a retried or resumed job run)
/// is refused by the store's unique index, or here when the member has moved on, and leaves no effect.
/// The reserved steps <c>$goal</c> and <c>$exit</c> take the member out.
/// </summary>
internal sealed class StepRunner(ILinkSigner links) : IBeforeRecordHook
{
    public const string Goal = "$goal";
    public const string Exit = "$exit";

    public string Entity => JourneyStepRunEntity.Name;

    public RecordOperations Operations => RecordOperations.Create;

    public int Order => 10;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect)
        {
            return; // JourneyStepRunGuard refuses it
        }

        var records = record.PrivilegedRecords;
        var (step, at) = ((string)record.GetValue("step")!, (DateTime)record.GetValue("ranAt")!);
        var member = await records.GetAsync(JourneyMemberEntity.Name, (Guid)record.GetValue("member")!, cancellationToken);
        if (member is null || member.GetValue<string>("status") != "active" || (step is not (Goal or Exit) && member.GetValue<string>("currentStep") != step))
        {
            throw new OperationException(MarketingErrors.JourneyManaged, $"The member is no longer due for step '{step}': it ran already.", "step");
        }

        var entity = member.GetValue("lead") is Guid ? "lead" : "contact";
        var person = await records.GetAsync(entity, member.GetValue<Guid>(entity), cancellationToken);
        var version = await records.GetAsync(JourneyVersionEntity.Name, member.GetValue<Guid>("journeyVersion"), cancellationToken);
        var update = new FieldValues();
        if (person is null || version is null || step is Goal or Exit)
        {
            var (status, outcome) = step switch { Goal => ("goalReached", "reached the goal"), Exit => ("exited", "met the exit condition"), _ => ("exited", "the person is gone") };
            record.SetValue("stepType", step is Goal or Exit ? step[1..] : "exit");
            record.SetValue("outcome", outcome);
            Leave(update, status, at);
        }
        else
        {
            var definition = JourneyDefinition.Read(version.GetValue, entity);
            var current = definition.Step(step);
            var result = await new StepActions(record, links, entity, person, at).RunAsync(definition, current, cancellationToken);
            record.SetValue("stepType", current.Type);
            record.SetValue("outcome", result.Outcome.Length > 500 ? result.Outcome[..500] : result.Outcome);
            record.SetValue("nextStep", result.Next);
            if (result.Failed || result.Next is null)
            {
                Leave(update, result.Failed ? "failed" : "completed", at);
            }
            else
            {
                update["currentStep"] = result.Next;
                update["nextRunAt"] = await JourneyClock.DueAsync(records, definition.Step(result.Next), entity, person.Id, at, cancellationToken);
            }
        }

        // The version check refuses the move if anything moved the member meanwhile.
        await Writes.RequireAsync(records.UpdateAsync(JourneyMemberEntity.Name, member.Id, update, member.Version, cancellationToken), "member");
    }

    private static void Leave(FieldValues update, string status, DateTime at)
    {
        update["status"] = status;
        update["currentStep"] = null;
        update["nextRunAt"] = null;
        update["endedAt"] = at;
    }
}

/// <summary>When a member arriving at a step is due to run it: at once, or when its wait ends.</summary>
internal static class JourneyClock
{
    public static async Task<DateTime> DueAsync(IRecordApi records, JourneyStep step, string entity, Guid person, DateTime arrived, CancellationToken cancellationToken)
    {
        if (step.Type != "wait")
        {
            return arrived;
        }

        if (step.Duration is { } duration)
        {
            return arrived + duration;
        }

        if (step.Until is { } until)
        {
            return until > arrived ? until : arrived;
        }

        var value = (await records.GetAsync(entity, person, cancellationToken))?.GetValue(step.UntilField!);
        var due = value switch
        {
            DateTime time => time,
            DateOnly date => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            _ => arrived, // no date to wait for: go on
        };
        return due > arrived ? due : arrived;
    }
}
