using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>
/// <c>addSegmentMembers(segmentId, ids, csv)</c>: lists people on a static list, by id or from a CSV
/// of e-mails and ids (one per line or comma-separated; a header line without an @ or an id is
/// skipped as unmatched). E-mails are matched, without case, against the people's e-mail field;
/// values that match no one are reported, ids the caller can't see refuse the call.
/// </summary>
internal sealed class AddSegmentMembers : IPluginOperation
{
    public string Name => "addSegmentMembers";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Lists people on a static segment by id or from a CSV of e-mails and ids; reports what matched no one.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("segmentId", TypeRef.Id.NonNull()),
        new("ids", TypeRef.ListOf(TypeRef.Id), "Ids of leads, contacts or accounts, as the segment is of."),
        new("csv", TypeRef.String, "E-mails and ids, one per line or comma-separated."),
    ];

    public TypeRef Result => TypeRef.Object("SegmentMembersAdded",
        new FieldRef("segment", TypeRef.Entity(SegmentEntity.Name).NonNull()),
        new FieldRef("added", TypeRef.Int.NonNull()),
        new FieldRef("alreadyMembers", TypeRef.Int.NonNull()),
        new FieldRef("unmatched", TypeRef.ListOf(TypeRef.String).NonNull(), "CSV values that name no one (as given).")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var (segment, definition) = await SegmentArgs.ReadAsync(context, "segmentId", cancellationToken);
        if (definition.Dynamic)
        {
            throw new OperationException(MarketingErrors.DynamicSegment, $"Segment '{segment.GetValue<string>("name")}' is dynamic: its filter picks its members.", "segmentId");
        }

        var people = new List<Guid>();
        foreach (var id in Ids.List(context, "ids", definition.Entity))
        {
            people.Add((await Writes.ExistingAsync(records, definition.Entity, id, "ids", cancellationToken)).Id);
        }

        var unmatched = new List<string>();
        var values = (context.Argument<string>("csv") ?? string.Empty).Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var value in values)
        {
            var found = value.Contains('@', StringComparison.Ordinal)
                ? await records.FindAsync(definition.Entity, Condition.Eq("email", value.ToLowerInvariant()), 100, cancellationToken)
                : Guid.TryParse(value, out var id) && await records.GetAsync(definition.Entity, id, cancellationToken) is { } one ? [one] : [];
            if (found.Count == 0)
            {
                unmatched.Add(value);
            }

            people.AddRange(found.Select(r => r.Id));
        }

        if (people.Count == 0 && unmatched.Count == 0)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give ids or a CSV of e-mails and ids.", "ids");
        }

        var (added, already) = (0, 0);
        foreach (var person in people.Distinct())
        {
            if ((await records.FindAsync(SegmentMemberEntity.Name, Condition.Eq("segment", segment.Id).And(Condition.Eq(definition.Entity, person)), 1, cancellationToken)).Count > 0)
            {
                already++;
                continue;
            }

            await Writes.RequireAsync(records.CreateAsync(SegmentMemberEntity.Name, new FieldValues { ["segment"] = segment.Id, [definition.Entity] = person }, cancellationToken), "ids");
            added++;
        }

        return new Dictionary<string, object?> { ["segment"] = segment, ["added"] = added, ["alreadyMembers"] = already, ["unmatched"] = unmatched };
    }
}
