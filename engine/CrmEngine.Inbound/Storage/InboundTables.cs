using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Inbound.Storage;

/// <summary>Inbound e-mail's tables in every tenant store: the received messages' log and the tenant's inbound settings.</summary>
public sealed class InboundTables : ISystemTables
{
    public string Name => "inbound";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<InboundMessageRow>(b =>
        {
            b.ToTable("crm_inbound_message");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            // The dedupe: a second delivery of the same message fails this insert.
            b.HasIndex(x => x.MessageKey).IsUnique();
            b.HasIndex(x => x.ReceivedAt);
        });
        builder.Entity<InboundSettingsRow>(b =>
        {
            b.ToTable("crm_inbound_settings");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
        });
    }
}
