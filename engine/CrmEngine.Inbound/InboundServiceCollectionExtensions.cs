using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Inbound.Api;
using CrmEngine.Inbound.Imap;
using CrmEngine.Inbound.Intake;
using CrmEngine.Inbound.Settings;
using CrmEngine.Inbound.Smtp;
using CrmEngine.Inbound.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Inbound;

public static class InboundServiceCollectionExtensions
{
    /// <summary>
    /// Inbound e-mail: its tables, the intake that turns a received message into plugins' events once,
    /// the SMTP listener (off unless "Crm:Inbound:Smtp:Enabled"), the IMAP poller, and its GraphQL
    /// operations. Settings come from "Crm:Inbound" (see <see cref="InboundOptions"/>). Needs outbound
    /// messaging (AddCrmMessaging), the files service (AddCrmFiles) and the plugin host.
    /// </summary>
    public static IServiceCollection AddCrmInbound(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<InboundOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(InboundOptions.Section));
        }

        services.AddSingleton<ISystemTables, InboundTables>();
        services.AddSingleton<InboundRoutes>();
        services.AddSingleton<InboundSettingsService>();
        services.AddSingleton<InboundHandlers>();
        services.AddSingleton<MailIntake>();
        services.AddSingleton<SmtpListener>();
        services.AddHostedService(sp => sp.GetRequiredService<SmtpListener>());
        services.AddSingleton<ImapSignal>();
        services.AddSingleton<ImapPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<ImapPoller>());
        services.AddSingleton<ISchemaContributor, InboundContributor>();
        return services;
    }
}
