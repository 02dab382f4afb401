using CrmEngine.Sdk.Messaging;
using CrmEngine.Messaging.Storage;

namespace CrmEngine.Messaging.Delivery;

/// <summary>How one attempt at a message went.</summary>
public enum SendResult
{
    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>It may go through later: a connection failure, a timeout, a 4xx SMTP reply, an HTTP 5xx.</summary>
    Transient,

    /// <summary>The provider refused it for good: a 5xx SMTP reply, an HTTP 4xx.</summary>
    Permanent,
}

/// <summary>An attempt's outcome: the provider's id for a sent message, what went wrong otherwise.</summary>
public sealed record SendOutcome(SendResult Result, string? ProviderId = null, string? Error = null);

/// <summary>A channel's settings as a sender uses them: the row, with its secret in clear.</summary>
public sealed record ChannelConfig(ChannelSettingsRow Settings, string? Secret);

/// <summary>Sends messages of one channel; the outcomes are in the order of the messages.</summary>
public interface IChannelSender
{
    MessageChannel Channel { get; }

    Task<IReadOnlyList<SendOutcome>> SendAsync(string tenantId, ChannelConfig config, IReadOnlyList<MessageRow> messages, CancellationToken cancellationToken);
}
