using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>What the segment operations share: reading a segment argument and describing people.</summary>
internal static class SegmentArgs
{
    public static async Task<(CrmRecord Record, SegmentDefinition Definition)> ReadAsync(IOperationContext context, string argument, CancellationToken cancellationToken)
    {
        var segment = await Writes.ExistingAsync(context.Records, SegmentEntity.Name, context.RecordId(argument, SegmentEntity.Name), argument, cancellationToken);
        return (segment, SegmentDefinition.Of(segment));
    }
}

/// <summary>
/// <c>refreshSegment(id)</c>: a dynamic segment's members become the filter's matches less the
/// excluded (adding the new, removing those gone); a static list keeps its listed people. Both record
/// the size (people in it now, after exclusions) and the time.
/// </summary>
internal sealed class RefreshSegment : IPluginOperation
{
    public string Name => "refreshSegment";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Refreshes a segment now: a dynamic segment's members become its filter's matches less the excluded; its size and refresh time are recorded.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Object("SegmentRefresh",
        new FieldRef("segment", TypeRef.Entity(SegmentEntity.Name).NonNull()),
        new FieldRef("added", TypeRef.Int.NonNull()),
        new FieldRef("removed", TypeRef.Int.NonNull()),
        new FieldRef("excluded", TypeRef.Int.NonNull(), "Picked by the filter or list but left out by the exclusions.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var (segment, definition) = await SegmentArgs.ReadAsync(context, "id", cancellationToken);
        var (added, removed, excluded, size) = await RefreshAsync(context.Records, segment, definition, DateTime.UtcNow, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["segment"] = await context.Records.GetAsync(SegmentEntity.Name, segment.Id, cancellationToken),
            ["added"] = added,
            ["removed"] = removed,
            ["excluded"] = excluded,
        };
    }

    public static async Task<(int Added, int Removed, int Excluded, int Size)> RefreshAsync(IRecordApi records, CrmRecord segment, SegmentDefinition definition, DateTime now, CancellationToken cancellationToken)
    {
        var (people, excluded) = await SegmentMatcher.MatchAsync(records, definition, now, cancellationToken);
        var (added, removed) = definition.Dynamic ? await SegmentDiff.ApplyAsync(records, segment, definition.Entity, people, cancellationToken) : (0, 0);
        await Writes.RequireAsync(records.UpdateAsync(SegmentEntity.Name, segment.Id, new FieldValues { ["size"] = (long)people.Count, ["refreshedAt"] = now }, cancellationToken: cancellationToken));
        return (added, removed, excluded, people.Count);
    }
}

/// <summary><c>segmentPreview(id, first)</c>: a segment's people now (without refreshing it): size, how many the exclusions leave out, and the first few.</summary>
internal sealed class SegmentPreview : IPluginOperation
{
    public string Name => "segmentPreview";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "A segment's people now, without refreshing it: its size, how many the exclusions leave out, and the first ones by name.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull()), new("first", TypeRef.Int, "How many people to list (default 10, at most 100).")];

    public TypeRef Result => TypeRef.Object("SegmentPreview",
        new FieldRef("size", TypeRef.Int.NonNull()),
        new FieldRef("excluded", TypeRef.Int.NonNull()),
        new FieldRef("people", TypeRef.ListOf(TypeRef.Object("SegmentPerson",
            new FieldRef("id", TypeRef.Id.NonNull(), "The lead's, contact's or account's global id."),
            new FieldRef("name", TypeRef.String),
            new FieldRef("email", TypeRef.String))).NonNull(), "By name.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var (_, definition) = await SegmentArgs.ReadAsync(context, "id", cancellationToken);
        var (people, excluded) = await SegmentMatcher.MatchAsync(context.Records, definition, DateTime.UtcNow, cancellationToken);
        var first = Math.Clamp(context.Argument<int?>("first") ?? 10, 0, 100);
        var listed = new List<Dictionary<string, object?>>();
        foreach (var batch in people.Chunk(500))
        {
            await foreach (var person in context.Records.QueryAllAsync(definition.Entity, Condition.In("id", batch.Cast<object?>()), cancellationToken: cancellationToken))
            {
                listed.Add(new Dictionary<string, object?> { ["id"] = RecordIds.GlobalId(definition.Entity, person.Id), ["name"] = person.GetValue<string>("name"), ["email"] = person.GetValue<string>("email") });
            }
        }

        return new Dictionary<string, object?>
        {
            ["size"] = people.Count,
            ["excluded"] = excluded,
            ["people"] = listed.OrderBy(p => p["name"] as string, StringComparer.Ordinal).ThenBy(p => p["id"] as string, StringComparer.Ordinal).Take(first).ToList(),
        };
    }
}

/// <summary><c>segmentOverlap(a, b)</c>: how many people two segments of the same kind of person share, now.</summary>
internal sealed class SegmentOverlap : IPluginOperation
{
    public string Name => "segmentOverlap";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "How many people two segments (of the same kind of person) share now, and how many are in one only.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("a", TypeRef.Id.NonNull()), new("b", TypeRef.Id.NonNull())];

    public TypeRef Result => TypeRef.Object("SegmentOverlap",
        new FieldRef("both", TypeRef.Int.NonNull()),
        new FieldRef("onlyA", TypeRef.Int.NonNull()),
        new FieldRef("onlyB", TypeRef.Int.NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var (_, a) = await SegmentArgs.ReadAsync(context, "a", cancellationToken);
        var (_, b) = await SegmentArgs.ReadAsync(context, "b", cancellationToken);
        if (a.Entity != b.Entity)
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"Segment a is of {a.Entity}s and b of {b.Entity}s; they can't share anyone.", "b");
        }

        var now = DateTime.UtcNow;
        var (inA, _) = await SegmentMatcher.MatchAsync(context.Records, a, now, cancellationToken);
        var (inB, _) = await SegmentMatcher.MatchAsync(context.Records, b, now, cancellationToken);
        var both = inA.Count(inB.Contains);
        return new Dictionary<string, object?> { ["both"] = both, ["onlyA"] = inA.Count - both, ["onlyB"] = inB.Count - both };
    }
}

/// <summary><c>addSegmentToCampaign(segmentId, campaignId)</c>: everyone in the segment now becomes a targeted member of the campaign (those already in it stay as they are).</summary>
internal sealed class AddSegmentToCampaign : IPluginOperation
{
    public string Name => "addSegmentToCampaign";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Adds everyone in a segment now (after its exclusions) to a campaign as targeted members; those already in it are skipped and counted.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("segmentId", TypeRef.Id.NonNull()), new("campaignId", TypeRef.Id.NonNull())];

    public TypeRef Result => AddCampaignMembers.Added;

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var (_, segment) = await SegmentArgs.ReadAsync(context, "segmentId", cancellationToken);
        var campaign = await AddCampaignMembers.OpenCampaignAsync(context, "campaignId", cancellationToken);
        var (people, _) = await SegmentMatcher.MatchAsync(context.Records, segment, DateTime.UtcNow, cancellationToken);
        return await AddCampaignMembers.AddAsync(context.Records, campaign, people.Order().Select(id => (segment.Entity, id)), cancellationToken);
    }
}
