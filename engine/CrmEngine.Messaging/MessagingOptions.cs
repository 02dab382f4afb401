namespace CrmEngine.Messaging;

/// <summary>How messages are sent (section "Crm:Messaging"); what each tenant sends through is its channel settings.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Crm:Messaging";

    /// <summary>Attempts of one message before it is marked failed (transient failures only; a refusal bounces it at once).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the second attempt; each later one waits twice as long (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt (an SMTP connection and command, an HTTP request) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each tenant's due messages are looked for (new ones are sent at once; this finds retries that came due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages taken per pass of one channel (fewer under a per-second throttle).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Connections (SMTP) or requests (HTTP) one tenant's channel uses at the same time.</summary>
    public int Concurrency { get; set; } = 4;
}
