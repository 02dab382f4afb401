using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>Mail into the test host: its SMTP listener on a loopback port, and a tenant's inbound domain.</summary>
public static class InboundMail
{
    public static void Listen(CrmTestHostOptions options, int port)
    {
        options.Settings["Crm:Inbound:Smtp:Enabled"] = "true";
        options.Settings["Crm:Inbound:Smtp:Address"] = "127.0.0.1";
        options.Settings["Crm:Inbound:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The tenant takes the mail of <paramref name="domain"/>.</summary>
    public static Task TakeMailForAsync(this MarketingTenant tenant, string domain) =>
        tenant.Admin.MutateAsync("mutation($input: InboundMailSettingsInput!) { setInboundMailSettings(input: $input) { settings { domains } userErrors { field code message } } }", new { input = new { domains = new[] { domain } } });

    /// <summary>Sends <paramref name="message"/> to the host's SMTP listener with MailKit, as a mail server would.</summary>
    public static async Task SendAsync(this MarketingHost host, MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
