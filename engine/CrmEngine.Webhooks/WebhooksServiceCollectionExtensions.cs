using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Webhooks.Api;
using CrmEngine.Webhooks.Delivery;
using CrmEngine.Webhooks.Storage;
using CrmEngine.Webhooks.Subscriptions;
using CrmEngine.Webhooks.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmEngine.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Webhooks: their tables, the after-stage handler that queues deliveries, the sender, and the
    /// GraphQL admin operations. Settings come from "Crm:Webhooks" (see <see cref="WebhookOptions"/>).
    /// Needs ASP.NET Core Data Protection (the host adds it) for the signing secrets.
    /// </summary>
    public static IServiceCollection AddCrmWebhooks(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<WebhookOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(WebhookOptions.Section));
        }

        services.AddSingleton<ISystemTables, WebhookTables>();
        services.TryAddSingleton<ITargetResolver, DnsTargetResolver>();
        services.AddSingleton<AddressPolicy>();
        services.AddSingleton<TargetGuard>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDeliverer>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliverer>());
        services.AddSingleton<IRecordChangeHandler, WebhookEnqueuer>();
        services.AddSingleton<ISchemaContributor, WebhooksContributor>();
        return services;
    }
}
