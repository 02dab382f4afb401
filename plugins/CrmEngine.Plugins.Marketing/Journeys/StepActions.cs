using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Email;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Plugins.Marketing.Sms;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>What a step did: a line for the member's history, where the member goes next, and whether it failed (the member stops).</summary>
internal sealed record StepResult(string Outcome, string? Next, bool Failed = false);

/// <summary>
/// The effect of each kind of step on one member, written through the step run's own write (so it
/// commits with the run's unique record, or not at all).
/// </summary>
internal sealed class StepActions(IRecordContext run, ILinkSigner links, string entity, CrmRecord person, DateTime at)
{
    private IRecordApi Records => run.PrivilegedRecords;

    public Task<StepResult> RunAsync(JourneyDefinition definition, JourneyStep step, CancellationToken cancellationToken) => step.Type switch
    {
        "sendEmail" or "sendSms" => SendAsync(step, cancellationToken),
        "wait" => Task.FromResult(new StepResult($"waited until {at:yyyy-MM-dd HH:mm}Z", step.Next)),
        "branch" => BranchAsync(definition, step, cancellationToken),
        "updateFields" => WriteAsync(step, new FieldValues(step.Values), "updated " + string.Join(", ", step.Values.Keys), cancellationToken),
        "addTags" => WriteAsync(step, new FieldValues { ["marketingTags"] = (person.GetValue<IReadOnlyList<string>>("marketingTags") ?? []).Union(step.Tags).ToList() }, "tagged " + string.Join(", ", step.Tags), cancellationToken),
        "addToSegment" => AddToSegmentAsync(step, cancellationToken),
        "removeFromSegment" => RemoveFromSegmentAsync(step, cancellationToken),
        "createActivity" => ActivityAsync(step, cancellationToken),
        _ => WriteAsync(step, HandOver(step), $"handed to sales as {step.Status}", cancellationToken),
    };

    /// <summary>Sends the campaign's tracked e-mail, or its SMS, to the person as a member of it (made a member if they aren't), once: a membership already past targeted is not sent again.</summary>
    private async Task<StepResult> SendAsync(JourneyStep step, CancellationToken cancellationToken)
    {
        var campaign = await Records.GetAsync(CampaignEntity.Name, step.Campaign!.Value, cancellationToken);
        if (campaign is null)
        {
            return new StepResult("skipped: the campaign is gone", step.Next);
        }

        var member = await MembershipAsync(campaign.Id, cancellationToken);
        if (member is null)
        {
            if (CampaignStatuses.IsClosed(campaign.GetValue<string>("status")))
            {
                return new StepResult($"skipped: campaign {campaign.GetValue<string>("status")}", step.Next);
            }

            var created = await Records.CreateAsync(CampaignMemberEntity.Name, new FieldValues { ["campaign"] = campaign.Id, [entity] = person.Id }, cancellationToken);
            if (!created.Succeeded)
            {
                return new StepResult($"skipped: {created.Errors[0].Code}", step.Next);
            }

            member = created.Record!;
        }

        if (member.GetValue<string>("memberStatus") != "targeted")
        {
            return new StepResult($"skipped: already {member.GetValue<string>("memberStatus")}", step.Next);
        }

        var refused = step.Type == "sendSms"
            ? await SendCampaignSms.SendToAsync(Records, run.Messaging, campaign, member, cancellationToken)
            : await SendCampaignEmail.SendToAsync(Records, run.Messaging, await MailSetup.LoadAsync(links, run.Identity, run.Settings, cancellationToken), campaign, member, cancellationToken);
        return new StepResult(refused is null ? "sent" : $"skipped: {refused}", step.Next);
    }

    private async Task<StepResult> BranchAsync(JourneyDefinition definition, JourneyStep step, CancellationToken cancellationToken)
    {
        var test = step.Test!;
        bool yes;
        if (test.Kind is "opened" or "clicked")
        {
            var membership = await MembershipAsync(definition.Step(test.Step!).Campaign!.Value, cancellationToken);
            // A click implies an open; a later unsubscribe keeps the stamps of what came before it.
            string[] reached = test.Kind == "opened" ? ["opened", "clicked", "responded", "converted"] : ["clicked", "responded", "converted"];
            yes = membership is not null && (reached.Contains(membership.GetValue<string>("memberStatus")) || membership.GetValue("clickedAt") is DateTime || (test.Kind == "opened" && membership.GetValue("openedAt") is DateTime));
        }
        else
        {
            yes = await Records.CountAsync(entity, Condition.Eq("id", person.Id).And(test.Filter!), cancellationToken) > 0;
        }

        return new StepResult($"{(test.Kind == "filter" ? "matched" : test.Kind)}: {(yes ? "yes" : "no")}", yes ? step.Then : step.Else);
    }

    private async Task<StepResult> WriteAsync(JourneyStep step, FieldValues values, string done, CancellationToken cancellationToken)
    {
        var outcome = await Records.UpdateAsync(entity, person.Id, values, cancellationToken: cancellationToken);
        return outcome.Succeeded ? new StepResult(done, step.Next) : new StepResult($"failed: {outcome.Errors[0].Code} {outcome.Errors[0].Message}", null, Failed: true);
    }

    private FieldValues HandOver(JourneyStep step)
    {
        var values = new FieldValues { ["status"] = step.Status };
        if (step.OwnerId is { } owner)
        {
            values["ownerId"] = owner;
        }

        return values;
    }

    private async Task<StepResult> AddToSegmentAsync(JourneyStep step, CancellationToken cancellationToken)
    {
        if (await SegmentMembershipAsync(step, cancellationToken) is not null)
        {
            return new StepResult("already in the segment", step.Next);
        }

        var outcome = await Records.CreateAsync(SegmentMemberEntity.Name, new FieldValues { ["segment"] = step.Segment, [entity] = person.Id }, cancellationToken);
        return outcome.Succeeded ? new StepResult("added to the segment", step.Next) : new StepResult($"failed: {outcome.Errors[0].Code} {outcome.Errors[0].Message}", null, Failed: true);
    }

    private async Task<StepResult> RemoveFromSegmentAsync(JourneyStep step, CancellationToken cancellationToken)
    {
        if (await SegmentMembershipAsync(step, cancellationToken) is not { } membership)
        {
            return new StepResult("not in the segment", step.Next);
        }

        var outcome = await Records.DeleteAsync(SegmentMemberEntity.Name, membership.Id, cancellationToken: cancellationToken);
        return outcome.Succeeded ? new StepResult("removed from the segment", step.Next) : new StepResult($"failed: {outcome.Errors[0].Code} {outcome.Errors[0].Message}", null, Failed: true);
    }

    /// <summary>A planned follow-up task on the person for their owner, due after the step's days (sales' reminders and due lists pick it up).</summary>
    private async Task<StepResult> ActivityAsync(JourneyStep step, CancellationToken cancellationToken)
    {
        var task = new FieldValues
        {
            ["subject"] = $"{step.Subject}: {person.GetValue<string>("name")}",
            ["type"] = "task",
            ["status"] = "planned",
            ["occurredAt"] = at,
            ["nextContactAt"] = at.AddDays(step.DueInDays),
            [entity] = person.Id,
        };
        if (person.OwnerId is { } owner)
        {
            task["ownerId"] = owner;
        }

        var outcome = await Records.CreateAsync("activity", task, cancellationToken);
        return outcome.Succeeded ? new StepResult($"follow-up due {at.AddDays(step.DueInDays):yyyy-MM-dd}", step.Next) : new StepResult($"failed: {outcome.Errors[0].Code} {outcome.Errors[0].Message}", null, Failed: true);
    }

    private async Task<CrmRecord?> MembershipAsync(Guid campaignId, CancellationToken cancellationToken) =>
        (await Records.FindAsync(CampaignMemberEntity.Name, Condition.Eq("campaign", campaignId).And(Condition.Eq(entity, person.Id)), 1, cancellationToken)) is [var found] ? found : null;

    private async Task<CrmRecord?> SegmentMembershipAsync(JourneyStep step, CancellationToken cancellationToken) =>
        (await Records.FindAsync(SegmentMemberEntity.Name, Condition.Eq("segment", step.Segment!.Value).And(Condition.Eq(entity, person.Id)), 1, cancellationToken)) is [var found] ? found : null;
}
