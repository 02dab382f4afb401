using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records.Pipeline;

namespace CrmEngine.GraphQL.Subscriptions;

/// <summary>
/// The after stage's link to subscriptions: each committed change is published as a
/// <see cref="ChangeKinds.Record"/> event, to this host's <see cref="RecordChangeHub"/> at once and to
/// the other hosts' through the change transport (NOTIFY on PostgreSQL).
/// </summary>
public sealed class RecordChangeBroadcaster(ChangeFeed feed) : IRecordChangeHandler
{
    public string Name => "subscriptions";

    public Task HandleAsync(RecordEvent change, CancellationToken cancellationToken) =>
        feed.PublishAsync(new ChangeEvent(ChangeKinds.Record, change.TenantId, change.Sequence, change.Entity), cancellationToken);
}
