namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>
/// Puts people into a live journey, on its current published version, at its first step. A person
/// enters a journey once: the member's key (journey and person) is unique in the store, so an entry
/// seen twice (an event delivered again, a segment read by two hosts) makes one member.
/// </summary>
internal static class JourneyEnrolment
{
    /// <summary>
    /// The live journeys of <paramref name="entity"/> whose published version is entered by
    /// <paramref name="entryKind"/>, with that version: the entry is the version's, not the draft's, so an
    /// unpublished edit of the entry takes no one in yet.
    /// </summary>
    public static async Task<IReadOnlyList<(CrmRecord Journey, CrmRecord Version, JourneyDefinition Definition)>> LiveAsync(IRecordApi records, string entity, string entryKind, CancellationToken cancellationToken)
    {
        var live = new List<(CrmRecord, CrmRecord, JourneyDefinition)>();
        foreach (var journey in await records.FindAsync(JourneyEntity.Name, Condition.Eq("status", "live").And(Condition.Eq("of", entity)), 500, cancellationToken))
        {
            if (await CurrentAsync(records, journey, cancellationToken) is var (version, definition) && definition.EntryKind == entryKind && definition.Start is not null)
            {
                live.Add((journey, version, definition));
            }
        }

        return live;
    }

    /// <summary>The journey's current published version, with its definition.</summary>
    public static async Task<(CrmRecord Version, JourneyDefinition Definition)?> CurrentAsync(IRecordApi records, CrmRecord journey, CancellationToken cancellationToken)
    {
        var found = await records.FindAsync(JourneyVersionEntity.Name, Condition.Eq("journey", journey.Id).And(Condition.Eq("number", journey.GetValue<long?>("publishedVersion") ?? 0)), 1, cancellationToken);
        return found is [var version] ? (version, JourneyDefinition.Read(version.GetValue, journey.GetValue<string>("of")!)) : null;
    }

    /// <summary>Enters one person; false when they are in (or were in) the journey already.</summary>
    public static async Task<bool> EnrolAsync(IRecordApi records, CrmRecord journey, CrmRecord version, JourneyDefinition definition, Guid person, DateTime at, string reason, CancellationToken cancellationToken) =>
        (await records.CreateAsync(JourneyMemberEntity.Name, await MemberAsync(records, journey, version, definition, person, at, reason, cancellationToken), cancellationToken)).Succeeded;

    /// <summary>Enters many people in one CreateManyAsync; those in (or once in) the journey already are refused by the key and left as they are.</summary>
    public static async Task EnrolManyAsync(IRecordApi records, CrmRecord journey, CrmRecord version, JourneyDefinition definition, IReadOnlyList<Guid> people, DateTime at, string reason, CancellationToken cancellationToken)
    {
        var members = new List<IReadOnlyDictionary<string, object?>>(people.Count);
        foreach (var person in people)
        {
            members.Add(await MemberAsync(records, journey, version, definition, person, at, reason, cancellationToken));
        }

        await records.CreateManyAsync(JourneyMemberEntity.Name, members, cancellationToken);
    }

    private static async Task<FieldValues> MemberAsync(IRecordApi records, CrmRecord journey, CrmRecord version, JourneyDefinition definition, Guid person, DateTime at, string reason, CancellationToken cancellationToken)
    {
        var start = definition.Start!;
        return new FieldValues
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
        };
    }

    public static string Key(Guid journey, Guid person) => $"{journey:N}:{person:N}";
}
