namespace CrmEngine.Host.Subscriptions;

/// <summary>GraphQL subscriptions over WebSocket ("Crm:Subscriptions"; docs/changes-and-subscriptions.md).</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Crm:Subscriptions";

    /// <summary>How long a client has to send connection_init after the socket opens (closed with 4408 after).</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most messages waiting to be sent on one connection. A client that reads slower than its
    /// events arrive fills it and is disconnected (1013, try again later), so it never slows anyone else.
    /// </summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>The most subscriptions one connection may hold at once.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 100;

    /// <summary>The most subscriptions one API key (or JWT user) may hold at once on one host, over all its connections.</summary>
    public int MaxSubscriptionsPerCaller { get; set; } = 500;
}
