using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.Sdk.Approvals;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Approvals.Requests;

/// <summary>The SDK's <see cref="IApprovals"/> for plugins' operations: the service acting as the operation's caller, refusals as OperationExceptions with the service's codes.</summary>
internal sealed class PluginApprovals(ApprovalService service) : IPluginApprovals
{
    public IApprovals ActingAs(CrmSession session) => new SessionApprovals(session, service);

    private sealed class SessionApprovals(CrmSession session, ApprovalService service) : IApprovals
    {
        public Task<ApprovalRequestInfo> SubmitAsync(string entity, Guid recordId, string? comment = null, CancellationToken cancellationToken = default) =>
            RunAsync(() => service.SubmitAsync(session, entity, recordId, comment, cancellationToken));

        public async Task<ApprovalRequestInfo?> FindPendingAsync(string entity, Guid recordId, CancellationToken cancellationToken = default) =>
            await service.FindPendingAsync(session, entity, recordId, cancellationToken) is { } request ? Info(request) : null;

        public Task<ApprovalRequestInfo> ApproveAsync(Guid requestId, string? comment = null, CancellationToken cancellationToken = default) =>
            RunAsync(() => service.DecideAsync(session, requestId, approve: true, comment, cancellationToken));

        public Task<ApprovalRequestInfo> RejectAsync(Guid requestId, string comment, CancellationToken cancellationToken = default) =>
            RunAsync(() => service.DecideAsync(session, requestId, approve: false, comment, cancellationToken));

        public Task<ApprovalRequestInfo> RecallAsync(Guid requestId, CancellationToken cancellationToken = default) =>
            RunAsync(() => service.RecallAsync(session, requestId, cancellationToken));

        private static async Task<ApprovalRequestInfo> RunAsync(Func<Task<ApprovalRequestRow>> run)
        {
            try
            {
                return Info(await run());
            }
            catch (CrmException e)
            {
                var error = e.Errors.Count > 0 ? e.Errors[0] : new CrmError(ErrorCodes.InvalidInput, e.Message);
                throw new OperationException(error.Code, error.Message, error.Field);
            }
        }

        private static ApprovalRequestInfo Info(ApprovalRequestRow request) =>
            new(request.Id, request.Process, request.Entity, request.RecordId, Enum.Parse<ApprovalRequestStatus>(request.Status), request.StepName, request.SubmittedBy);
    }
}
