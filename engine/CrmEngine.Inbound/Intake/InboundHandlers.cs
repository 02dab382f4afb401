using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Inbound.Intake;

/// <summary>
/// Hands a received message to the <see cref="IInboundMailHandler"/>s of the plugins the tenant enables,
/// one after the other, as the tenant's system identity. A handler's failure is reported like a job's
/// (logged with a correlation id) and does not keep the others from the message.
/// </summary>
public sealed class InboundHandlers(PluginCatalog catalog, PluginServing serving, RecordApiFactory records, PluginFailures failures)
{
    /// <summary>How many handlers got the message, and the failures ("plugin: correlation id", comma-separated) or null.</summary>
    public async Task<(int Handled, string? Errors)> DispatchAsync(TenantStore store, InboundMail mail, CancellationToken cancellationToken)
    {
        var handled = 0;
        var errors = new List<string>();
        foreach (var (handler, pluginId) in catalog.Implementations<IInboundMailHandler>())
        {
            if (!store.Metadata.IsPluginEnabled(pluginId) || serving.Refusal(store.TenantId, store.Metadata, pluginId) is not null)
            {
                continue;
            }

            var session = new CrmSession(store, CrmPrincipal.System(store.TenantId));
            var context = new MailContext(SdkMapping.ToSdk(session.Principal), records.For(session), records.Directory(session), records.Notifier(session), records.Messaging(session), records.Settings(session, pluginId));
            handled++;
            try
            {
                await handler.HandleAsync(context, mail, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failure = failures.Report(pluginId, $"in its inbound mail handler for message {mail.MessageId}", store.TenantId, e, "The message is not handed to it again.");
                errors.Add($"{pluginId}: {failure.CorrelationId}");
            }
        }

        return (handled, errors.Count == 0 ? null : string.Join(", ", errors));
    }

    private sealed record MailContext(Sdk.Identity.ICrmIdentity Identity, Sdk.Records.IRecordApi Records, Sdk.Identity.IUserDirectory Directory, Sdk.Notifications.INotifier Notifications, IMessaging Messaging, Sdk.Settings.IPluginSettings Settings) : IInboundMailContext;
}
