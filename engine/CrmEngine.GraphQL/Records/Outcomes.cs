using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Types;

namespace CrmEngine.GraphQL.Records;

/// <summary>What a record mutation's payload shows.</summary>
public sealed record MutationOutcome(RecordData? Record, IReadOnlyList<CrmError> Errors, string? DeletedId = null)
{
    public IReadOnlyList<DuplicateMatch> Duplicates { get; init; } = [];
}

/// <summary>What a bulk mutation's payload shows: one result per item, or why the whole request was refused.</summary>
public sealed record BulkOutcome(IReadOnlyList<BulkItemResult> Results, IReadOnlyList<CrmError> Errors);

/// <summary>A page of records as a Relay connection.</summary>
public sealed class ConnectionData(RecordPage page) : IPageInfo
{
    public RecordPage Page { get; } = page;

    public bool HasNextPage => Page.HasNextPage;

    public bool HasPreviousPage => Page.HasPreviousPage;

    public string? StartCursor => Page.StartCursor;

    public string? EndCursor => Page.EndCursor;
}
