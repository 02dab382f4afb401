using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Capture;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// A journey's definition, read from the draft (the journey) or a published version: whom it is of,
/// how people enter, its steps, and the goal and exit filters that take members out early.
/// </summary>
internal sealed record JourneyDefinition(string Entity, string? EntryKind, Guid? EntrySegment, Guid? EntryCampaign, string? EntryField, string? EntryValue, string? EntryEvent, IReadOnlyList<JourneyStep> Steps, Condition? Goal, Condition? Exit)
{
    public JourneyStep? Start => Steps.Count > 0 ? Steps[0] : null;

    public JourneyStep Step(string key) => Steps.First(s => s.Key == key);

    /// <summary>Reads (and checks the form of) a definition; <paramref name="value"/> reads the journey's or version's fields.</summary>
    public static JourneyDefinition Read(Func<string, object?> value, string entity) => new(
        entity,
        value("entryKind") as string,
        value("entrySegment") as Guid?,
        value("entryCampaign") as Guid?,
        value("entryField") as string,
        value("entryValue") as string,
        value("entryEvent") as string,
        JourneyGraph.Parse(value("steps") as string, entity),
        Filter(value("goal") as string, "goal"),
        Filter(value("exitWhen") as string, "exitWhen"));

    /// <summary>
    /// Checks what the definition names against the store: the filters run on the journey's entity,
    /// e-mail steps name e-mail campaigns with a message (SMS steps SMS campaigns with a text), segment steps static lists of the same
    /// people, and the entry fits. <paramref name="complete"/> (publishing) also asks for an entry and steps.
    /// </summary>
    public async Task CheckAsync(IRecordApi records, bool complete, CancellationToken cancellationToken)
    {
        if (complete && EntryKind is null)
        {
            throw Invalid("A journey needs an entry (entryKind) to be published.", "entryKind");
        }

        if (complete && Steps.Count == 0)
        {
            throw Invalid("A journey needs at least one step to be published.", JourneyGraph.Field);
        }

        switch (EntryKind)
        {
            case "segment" when EntrySegment is not { } segmentId:
                if (complete)
                {
                    throw Invalid("Entry by segment names the segment (entrySegment).", "entrySegment");
                }

                break;
            case "segment":
                var segment = await records.GetAsync(SegmentEntity.Name, EntrySegment.Value, cancellationToken);
                if (segment?.GetValue<string>("entity") != Entity)
                {
                    throw Invalid($"The entry segment is not a segment of {Entity}s.", "entrySegment");
                }

                break;
            case "leadCreated" when Entity != "lead":
                throw Invalid("Only a journey of leads is entered when a lead is created.", "entryKind");
            case "fieldChanged" when string.IsNullOrWhiteSpace(EntryField) || EntryValue is null:
                throw Invalid("Entry on a field change names the field (entryField) and the value it changes to (entryValue).", EntryField is null ? "entryField" : "entryValue");
            case "fieldChanged":
                await records.CountAsync(Entity, Condition.Eq(EntryField, EntryValue), cancellationToken);
                break;
            case "customEvent" when !EventName.IsValid(EntryEvent):
                throw Invalid("Entry on a custom event names the event (entryEvent) as the website posts it: letters, digits, '.', '-' or '_', at most 100.", "entryEvent");
        }

        foreach (var (filter, field) in new[] { (Goal, "goal"), (Exit, "exitWhen") })
        {
            if (filter is not null)
            {
                // The engine checks fields and operators as for a GraphQL filter, with its own codes.
                await records.CountAsync(Entity, filter, cancellationToken);
            }
        }

        foreach (var step in Steps)
        {
            await CheckStepAsync(records, step, cancellationToken);
        }
    }

    private async Task CheckStepAsync(IRecordApi records, JourneyStep step, CancellationToken cancellationToken)
    {
        if (step.Campaign is { } campaignId)
        {
            var campaign = await records.GetAsync(CampaignEntity.Name, campaignId, cancellationToken);
            if (step.Type == "sendSms" && (campaign?.GetValue<string>("type") != "sms" || string.IsNullOrWhiteSpace(campaign.GetValue<string>("smsText"))))
            {
                throw Invalid($"Step '{step.Key}' sends the text of an SMS campaign that has one; {(campaign is null ? "there is no such campaign" : $"'{campaign.GetValue<string>("name")}' is not one")}.", JourneyGraph.Field);
            }

            if (step.Type == "sendEmail" && (campaign?.GetValue<string>("type") != "email" || string.IsNullOrWhiteSpace(campaign.GetValue<string>("emailSubject")) || string.IsNullOrWhiteSpace(campaign.GetValue<string>("emailBody"))))
            {
                throw Invalid($"Step '{step.Key}' sends the e-mail of an e-mail campaign with a subject and body; {(campaign is null ? "there is no such campaign" : $"'{campaign.GetValue<string>("name")}' is not one")}.", JourneyGraph.Field);
            }
        }

        if (step.Segment is { } segmentId)
        {
            var segment = await records.GetAsync(SegmentEntity.Name, segmentId, cancellationToken);
            if (segment?.GetValue<string>("kind") != "static" || segment.GetValue<string>("entity") != Entity)
            {
                throw Invalid($"Step '{step.Key}' adds to or removes from a static list of {Entity}s; {(segment is null ? "there is no such segment" : $"'{segment.GetValue<string>("name")}' is not one")}.", JourneyGraph.Field);
            }
        }

        if (step.UntilField is { } field)
        {
            await records.CountAsync(Entity, Condition.IsNotNull(field), cancellationToken);
        }

        if (step.Test is { Kind: "filter", Filter: { } test })
        {
            await records.CountAsync(Entity, test, cancellationToken);
        }
    }

    private static Condition? Filter(string? json, string field)
    {
        try
        {
            return FilterJson.Parse(json);
        }
        catch (OperationException e)
        {
            throw new OperationException(e.Code, e.Message, field);
        }
    }

    private static OperationException Invalid(string message, string field) => new(MarketingErrors.JourneyInvalid, message, field);
}
