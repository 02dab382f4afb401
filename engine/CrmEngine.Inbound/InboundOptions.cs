namespace CrmEngine.Inbound;

/// <summary>How the host receives e-mail (section "Crm:Inbound"); which mail a tenant accepts is its inbound settings.</summary>
public sealed class InboundOptions
{
    public const string Section = "Crm:Inbound";

    /// <summary>The largest message accepted, in bytes, as sent (10 MB by default); a larger one is refused (SMTP 552) or skipped (IMAP).</summary>
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The SMTP listener: off unless enabled.</summary>
    public SmtpListenerOptions Smtp { get; set; } = new();

    /// <summary>How often each tenant's IMAP mailbox is polled.</summary>
    public TimeSpan ImapPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one IMAP connection and command may take.</summary>
    public TimeSpan ImapTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long this host trusts its map of accepted domains before reading the tenants' settings again (another host's change shows after this).</summary>
    public TimeSpan RoutesLifetime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The host's SMTP listener.</summary>
public sealed class SmtpListenerOptions
{
    public bool Enabled { get; set; }

    /// <summary>The port it listens on (25 where the host receives mail directly; a high port behind a relay).</summary>
    public int Port { get; set; } = 2525;

    /// <summary>The address it listens on: "0.0.0.0" for every interface, "127.0.0.1" behind a local relay.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>The name it greets with.</summary>
    public string ServerName { get; set; } = "crmengine";
}
