using CrmEngine.Engine.Coordination;

namespace CrmEngine.Messaging.Delivery;

/// <summary>Wakes the message sender when a tenant has new messages (once the write that queued them commits).</summary>
public sealed class MessageSignal : TenantSignal;
