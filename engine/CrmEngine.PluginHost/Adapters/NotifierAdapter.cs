using CrmEngine.Engine.Records;
using CrmEngine.Rules.Logging;
using CrmEngine.Sdk.Notifications;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// The SDK's notifier over the notification store rules use (crm.notify): inside an open write the
/// notification joins its transaction, so it is sent only if the write commits.
/// </summary>
internal sealed class NotifierAdapter(CrmSession session, Notifications notifications) : INotifier
{
    public Task NotifyAsync(Guid userId, string message, string? entity = null, Guid? recordId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return notifications.AddAsync(session, userId, message.Length > 2000 ? message[..2000] : message, null, entity, recordId, cancellationToken);
    }
}
