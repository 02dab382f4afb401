using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Messaging.Api;
using CrmEngine.Messaging.Channels;
using CrmEngine.Messaging.Delivery;
using CrmEngine.Messaging.Outbox;
using CrmEngine.Messaging.Storage;
using CrmEngine.Messaging.Templates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Outbound messaging: its tables, the outbox writers call, the channels' senders and the sender
    /// loop, and its GraphQL operations. Settings come from "Crm:Messaging" (see <see cref="MessagingOptions"/>).
    /// Needs ASP.NET Core Data Protection (the host adds it) for the channels' secrets, and the webhooks'
    /// services (AddCrmWebhooks) for the HTTP channels' address guard.
    /// </summary>
    public static IServiceCollection AddCrmMessaging(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<MessagingOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(MessagingOptions.Section));
        }

        services.AddSingleton<ISystemTables, MessagingTables>();
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<ChannelSettingsService>();
        services.AddSingleton<TemplateService>();
        services.AddSingleton<TemplateRenderer>();
        services.AddSingleton<MergeModel>();
        services.AddSingleton<MessageSignal>();
        services.AddSingleton<MessageOutbox>();
        services.AddSingleton<MessageLog>();
        services.AddSingleton<Sdk.Messaging.IMessageDeliveries, MessageDeliveryReader>();
        services.AddSingleton<IChannelSender, SmtpSender>();
        services.AddSingleton<IChannelSender, SmsSender>();
        services.AddSingleton<IChannelSender, WebhookChannelSender>();
        services.AddSingleton<MessageDeliverer>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageDeliverer>());
        services.AddSingleton<ISchemaContributor, MessagingContributor>();
        return services;
    }
}
