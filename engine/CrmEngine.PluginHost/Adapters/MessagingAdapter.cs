using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Messaging.Outbox;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.PluginHost.Adapters;

/// <summary>
/// The SDK's messaging over the engine's outbox, for one session: inside an open write the message
/// joins its transaction. Refusals come back as the outcome's errors, as record writes' do.
/// </summary>
internal sealed class MessagingAdapter(CrmSession session, MessageOutbox outbox) : IMessaging
{
    public async Task<MessageOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = new MessageRequest(
            message.Channel, message.Entity, message.RecordId, message.Purpose, message.Template, message.Subject, message.Body, message.To, Headers: message.Headers);
        try
        {
            var queued = await outbox.EnqueueAsync(session, [request], cancellationToken);
            return new MessageOutcome(queued[0].Id, []);
        }
        catch (CrmException e)
        {
            return new MessageOutcome(null, e.Errors.Select(SdkMapping.ToSdk).ToList());
        }
    }
}
