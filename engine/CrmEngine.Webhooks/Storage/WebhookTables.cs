using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Webhooks.Storage;

/// <summary>The webhooks' tables in every tenant store: the subscriptions and their delivery log.</summary>
public sealed class WebhookTables : ISystemTables
{
    public string Name => "webhooks";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<WebhookRow>(b =>
        {
            b.ToTable("crm_webhook");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => x.Entity);
        });
        builder.Entity<WebhookDeliveryRow>(b =>
        {
            b.ToTable("crm_webhook_delivery");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.WebhookId, x.OutboxSeq }).IsUnique();
            // The sender's question: which deliveries are due.
            b.HasIndex(x => new { x.Status, x.NextAttemptAt });
            b.HasIndex(x => new { x.WebhookId, x.CreatedAt });
        });
    }
}
