using System.Text.Json;
using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// Entry by event: once a write commits (after hooks run at least once; a second delivery finds the
/// person entered already), the people it concerns enter the live journeys it triggers, at the time
/// of the write. A paused journey takes no one in.
/// </summary>
internal static class JourneyEvents
{
    public static async Task EnterAsync(IRecordEvent change, string entity, Guid person, string entryKind, Func<JourneyDefinition, bool> triggers, string reason, CancellationToken cancellationToken)
    {
        foreach (var (journey, version, definition) in await JourneyEnrolment.LiveAsync(change.Records, entity, entryKind, cancellationToken))
        {
            if (triggers(definition))
            {
                await JourneyEnrolment.EnrolAsync(change.Records, journey, version, definition, person, change.At, reason, cancellationToken);
            }
        }
    }
}

/// <summary>A lead created: it enters the live journeys of leads entered on creation.</summary>
internal sealed class LeadCreatedEntry : IAfterRecordHook
{
    public string Entity => "lead";

    public RecordOperations Operations => RecordOperations.Create;

    public Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken) =>
        JourneyEvents.EnterAsync(change, "lead", change.RecordId, "leadCreated", _ => true, "lead created", cancellationToken);
}

/// <summary>
/// A response to a campaign (a web form's post makes a responded member; a member marked responded
/// later counts too): its lead or contact enters the journeys entered on a form of that campaign (or of any).
/// </summary>
internal sealed class FormSubmittedEntry : IAfterRecordHook
{
    public string Entity => CampaignMemberEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken)
    {
        if (change.Operation == RecordOperations.Update && !change.Changes.Any(c => c.Field == "memberStatus"))
        {
            return;
        }

        if (await change.Records.GetAsync(CampaignMemberEntity.Name, change.RecordId, cancellationToken) is not { } member
            || !MemberStatuses.IsResponse(member.GetValue<string>("memberStatus"))
            || (member.GetValue("lead") is Guid ? "lead" : member.GetValue("contact") is Guid ? "contact" : null) is not { } entity)
        {
            return;
        }

        var campaign = member.GetValue<Guid>("campaign");
        await JourneyEvents.EnterAsync(change, entity, member.GetValue<Guid>(entity), "formSubmitted",
            j => j.EntryCampaign is not { } only || only == campaign, "form submitted", cancellationToken);
    }
}

/// <summary>A lead's or contact's field changed to a value: the person enters the journeys entered on that change.</summary>
internal abstract class FieldChangedEntry(string entity) : IAfterRecordHook
{
    public string Entity => entity;

    public RecordOperations Operations => RecordOperations.Update;

    public Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken) =>
        change.Changes.Count == 0
            ? Task.CompletedTask
            : JourneyEvents.EnterAsync(change, entity, change.RecordId, "fieldChanged", j => change.Changes.Any(c => c.Field == j.EntryField && Text(c.New) == j.EntryValue), "field changed", cancellationToken);

    /// <summary>A changed value's JSON as text: a string's content, else its JSON (a number, true).</summary>
    private static string? Text(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : document.RootElement.GetRawText();
        }
        catch (JsonException)
        {
            return json;
        }
    }
}

/// <summary>
/// A custom event the events endpoint recorded for a known lead or contact: the person enters the
/// journeys entered on an event of that name.
/// </summary>
internal sealed class CustomEventEntry : IAfterRecordHook
{
    public string Entity => InteractionEntity.Name;

    public RecordOperations Operations => RecordOperations.Create;

    public async Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken)
    {
        if (await change.Records.GetAsync(InteractionEntity.Name, change.RecordId, cancellationToken) is not { } happened
            || happened.GetValue<string>("kind") != "customEvent" || happened.GetValue<string>("eventName") is not { } name
            || (happened.GetValue("lead") is Guid ? "lead" : happened.GetValue("contact") is Guid ? "contact" : null) is not { } entity)
        {
            return;
        }

        await JourneyEvents.EnterAsync(change, entity, happened.GetValue<Guid>(entity), "customEvent", j => j.EntryEvent == name, "event " + name, cancellationToken);
    }
}

internal sealed class LeadFieldChangedEntry() : FieldChangedEntry("lead");

internal sealed class ContactFieldChangedEntry() : FieldChangedEntry("contact");
