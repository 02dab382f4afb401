using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>
/// A segment is sound when it is saved: a dynamic one has a filter the engine accepts for its entity
/// (checked by running it), a static one none; whom it is of is fixed; the contact-frequency exclusion
/// has both its numbers; its size and refresh time are the refresh's to write.
/// </summary>
internal sealed class SegmentGuard : IBeforeRecordHook
{
    private static readonly string[] Computed = ["size", "refreshedAt"];

    public string Entity => SegmentEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && Computed.FirstOrDefault(record.IsChanging) is { } computed)
        {
            throw new OperationException(MarketingErrors.ComputedField, $"'{computed}' is written by refreshSegment.", computed);
        }

        if (record.Operation == RecordOperations.Update && (record.IsChanging("entity") || record.IsChanging("kind")))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Whom a segment is of and its kind are fixed; make another segment.", record.IsChanging("entity") ? "entity" : "kind");
        }

        if ((record.GetValue("maxContacts") is null) != (record.GetValue("contactWindowDays") is null))
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Excluding people contacted too often needs both maxContacts and contactWindowDays.", record.GetValue("maxContacts") is null ? "maxContacts" : "contactWindowDays");
        }

        var dynamic = record.GetValue("kind") as string != "static";
        var filter = FilterJson.Parse(record.GetValue("filter") as string);
        if (dynamic && filter is null)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "A dynamic segment needs a filter.", "filter");
        }

        if (!dynamic && filter is not null)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "A static list has no filter; add its people with addSegmentMembers.", "filter");
        }

        if (filter is not null && record.GetValue("entity") is string entity)
        {
            // The engine checks the fields and operators as it would a GraphQL filter, refusing with its own codes.
            await record.Records.CountAsync(entity, filter, cancellationToken);
        }
    }
}

/// <summary>
/// A segment member is one person of the segment's kind, once; people are listed by hand only on
/// static lists (a dynamic segment's members are its last refresh's).
/// </summary>
internal sealed class SegmentMemberGuard : IBeforeRecordHook
{
    public string Entity => SegmentMemberEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Update)
        {
            throw new OperationException(MarketingErrors.MemberTarget, "A segment membership is fixed; remove it and add another.", record.ChangingFields.FirstOrDefault());
        }

        var refreshing = SegmentDiff.Refreshing is { } diffed && record.Operation == RecordOperations.Create && Equals(record.GetValue("segment"), diffed.Id) ? diffed : null;
        if (record.GetValue("segment") is not Guid segmentId || (refreshing ?? await record.PrivilegedRecords.GetAsync(SegmentEntity.Name, segmentId, cancellationToken)) is not { } segment)
        {
            return; // the engine refuses a missing or unknown segment as any bad lookup
        }

        var entity = segment.GetValue<string>("entity")!;
        var named = CampaignMemberEntity.Targets.Where(t => record.GetValue(t) is Guid).ToList();
        if (named.Count != 1 || named[0] != entity)
        {
            throw new OperationException(MarketingErrors.MemberTarget, $"Segment '{segment.GetValue<string>("name")}' is of {entity}s; a member names exactly one {entity}.", named.FirstOrDefault(t => t != entity) ?? entity);
        }

        if (record.IsDirect && segment.GetValue<string>("kind") != "static")
        {
            throw new OperationException(MarketingErrors.DynamicSegment, $"Segment '{segment.GetValue<string>("name")}' is dynamic: its filter picks its members (refreshSegment).", "segment");
        }

        if (refreshing is null && (await record.PrivilegedRecords.FindAsync(SegmentMemberEntity.Name, Condition.Eq("segment", segmentId).And(Condition.Eq(entity, record.GetValue(entity))), 1, cancellationToken)).Count > 0)
        {
            throw new OperationException(MarketingErrors.AlreadyMember, $"This {entity} is in segment '{segment.GetValue<string>("name")}' already.", entity);
        }
    }
}
