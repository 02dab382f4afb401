using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Approvals.Requests;

/// <summary>A request as the API shows it: its history, who may decide its current step, and (in a delegate's list) whom they would act for.</summary>
public sealed record RequestView(ApprovalRequestRow Request, IReadOnlyList<ApprovalEventRow> History, IReadOnlyList<Guid> PendingApprovers, Guid? OnBehalfOf = null);

/// <summary>The caller's pending approvals, and the approval history of a record.</summary>
public sealed class ApprovalReads(RecordReader reader, Delegations delegations)
{
    public const int MaxPending = 200;

    /// <summary>Requests waiting for the caller, or for someone whose approvals the caller holds by delegation now, oldest first.</summary>
    public async Task<IReadOnlyList<RequestView>> MyPendingAsync(CrmSession session, CancellationToken cancellationToken)
    {
        var user = session.Principal.UserId;
        await using var context = session.CreateContext();
        var forWhom = await delegations.ActingForAsync(context, user, cancellationToken);
        var tasks = await context.Set<ApprovalTaskRow>().AsNoTracking()
            .Where(t => t.Outcome == null && (t.ApproverId == user || forWhom.Contains(t.ApproverId)))
            .OrderBy(t => t.CreatedAt).Take(MaxPending).ToListAsync(cancellationToken);
        var byRequest = tasks.GroupBy(t => t.RequestId).ToDictionary(g => g.Key, g => g.Any(t => t.ApproverId == user) ? (Guid?)null : g.First().ApproverId);
        var views = await ViewsAsync(context, byRequest.Keys.ToList(), cancellationToken);
        return views.Where(v => v.Request.Status == nameof(ApprovalRequestStatus.Pending))
            .Select(v => v with { OnBehalfOf = byRequest[v.Request.Id] }).OrderBy(v => v.Request.SubmittedAt).ToList();
    }

    /// <summary>Every request of a record the caller can read, oldest first, each with its whole history; null when the record isn't there for the caller.</summary>
    public async Task<IReadOnlyList<RequestView>?> HistoryAsync(CrmSession session, string entity, Guid recordId, CancellationToken cancellationToken)
    {
        if (session.Metadata.Find(entity) is null || await reader.GetAsync(session, entity, recordId, includeDeleted: false, cancellationToken) is null)
        {
            return null;
        }

        return await Sessions.ReadAsync(session, async context =>
        {
            var ids = await context.Set<ApprovalRequestRow>().AsNoTracking().Where(r => r.Entity == entity && r.RecordId == recordId).Select(r => r.Id).ToListAsync(cancellationToken);
            return (IReadOnlyList<RequestView>)(await ViewsAsync(context, ids, cancellationToken)).OrderBy(v => v.Request.SubmittedAt).ToList();
        });
    }

    /// <summary>One request as the API shows it (after a mutation, in its transaction's context).</summary>
    public async Task<RequestView> ViewAsync(CrmSession session, Guid requestId, CancellationToken cancellationToken) =>
        (await Sessions.ReadAsync(session, context => ViewsAsync(context, [requestId], cancellationToken))).Single();

    private static async Task<List<RequestView>> ViewsAsync(TenantDbContext context, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var requests = await context.Set<ApprovalRequestRow>().AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
        var events = (await context.Set<ApprovalEventRow>().AsNoTracking().Where(e => ids.Contains(e.RequestId)).ToListAsync(cancellationToken)).ToLookup(e => e.RequestId);
        var open = (await context.Set<ApprovalTaskRow>().AsNoTracking().Where(t => ids.Contains(t.RequestId) && t.Outcome == null).ToListAsync(cancellationToken)).ToLookup(t => t.RequestId);
        return requests.Select(r => new RequestView(r, events[r.Id].OrderBy(e => e.Sequence).ToList(), open[r.Id].Select(t => t.ApproverId).Order().ToList())).ToList();
    }
}
