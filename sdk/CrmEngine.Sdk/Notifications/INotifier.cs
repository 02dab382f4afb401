namespace CrmEngine.Sdk.Notifications;

/// <summary>
/// Sends users notifications, the ones they read with the <c>notifications</c> query (as rules'
/// crm.notify does). Inside a write or a plugin mutation the notification is part of its
/// transaction: it is sent only if everything commits.
/// </summary>
public interface INotifier
{
    /// <summary>Notifies a user, optionally about one record.</summary>
    Task NotifyAsync(Guid userId, string message, string? entity = null, Guid? recordId = null, CancellationToken cancellationToken = default);
}
