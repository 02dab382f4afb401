namespace CrmEngine.Webhooks;

/// <summary>How webhooks are delivered (section "Crm:Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Crm:Webhooks";

    /// <summary>
    /// Allows targets on loopback addresses (127.0.0.0/8, ::1), for tests and development on one
    /// machine. Off by default: a webhook could otherwise reach services that trust local callers.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Allows targets on private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), for deployments whose receivers live inside them.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Attempts of one delivery before it is dead-lettered (it can still be redelivered by hand).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Failed attempts in a row, over all its deliveries, after which an endpoint is disabled automatically.</summary>
    public int DisableAfterFailures { get; set; } = 20;

    /// <summary>The wait before the second attempt; each later one waits twice as long (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt may take, connecting and answering included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each tenant's due deliveries are looked for (new ones are sent at once; this finds retries that came due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deliveries one tenant sends at the same time.</summary>
    public int Concurrency { get; set; } = 8;
}
