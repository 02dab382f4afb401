namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// Puts people into a live journey, on its current published version, at its first step. A person
/// enters a journey once: the member's key (journey and person) is unique in the store, so an entry
/// seen twice (an event delivered again, a segment read by two hosts) makes one member.
/// </summary>
internal static class JourneyEnrolment
{
    /// <summary>The live journeys of <paramref name="entity"/> entered by <paramref name="entryKind"/>.</summary>
    public static async Task<IReadOnlyList<CrmRecord>> LiveAsync(IRecordApi records, string entity, string entryKind, CancellationToken cancellationToken) =>
        await records.FindAsync(JourneyEntity.Name, Condition.Eq("status", "live").And(Condition.Eq("of", entity)).And(Condition.Eq("entryKind", entryKind)), 500, cancellationToken);

    /// <summary>The journey's current published version, with its definition.</summary>
    public static async Task<(CrmRecord Version, JourneyDefinition Definition)?> CurrentAsync(IRecordApi records, CrmRecord journey, CancellationToken cancellationToken)
    {
        var found = await records.FindAsync(JourneyVersionEntity.Name, Condition.Eq("journey", journey.Id).And(Condition.Eq("number", journey.GetValue<long?>("publishedVersion") ?? 0)), 1, cancellationToken);
        return found is [var version] ? (version, JourneyDefinition.Read(version.GetValue, journey.GetValue<string>("of")!)) : null;
    }

    /// <summary>Enters one person; false when they are in (or were in) the journey already.</summary>
    public static async Task<bool> EnrolAsync(IRecordApi records, CrmRecord journey, CrmRecord version, JourneyDefinition definition, Guid person, DateTime at, string reason, CancellationToken cancellationToken)
    {
        var start = definition.Start!;
        var outcome = await records.CreateAsync(JourneyMemberEntity.Name, new FieldValues
        {
            ["journey"] = journey.Id,
            ["journeyVersion"] = version.Id,
            [definition.Entity] = person,
            ["status"] = "active",
            ["currentStep"] = start.Key,
            ["nextRunAt"] = await JourneyClock.DueAsync(records, start, definition.Entity, person, at, cancellationToken),
            ["enteredAt"] = at,
            ["entryReason"] = reason,
            ["key"] = Key(journey.Id, person),
        }, cancellationToken);
        return outcome.Succeeded;
    }

    public static string Key(Guid journey, Guid person) => $"{journey:N}:{person:N}";
}
