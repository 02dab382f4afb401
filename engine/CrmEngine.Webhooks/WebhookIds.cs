namespace CrmEngine.Webhooks;

/// <summary>The type names in the global ids of webhooks and their deliveries.</summary>
public static class WebhookIds
{
    public const string Webhook = "Webhook";
    public const string Delivery = "WebhookDelivery";
}
