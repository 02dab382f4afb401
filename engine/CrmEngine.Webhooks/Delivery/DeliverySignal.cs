using CrmEngine.Engine.Coordination;

namespace CrmEngine.Webhooks.Delivery;

/// <summary>Wakes the webhook sender when a tenant has new deliveries (queued, or sent back by an admin).</summary>
public sealed class DeliverySignal : TenantSignal;
