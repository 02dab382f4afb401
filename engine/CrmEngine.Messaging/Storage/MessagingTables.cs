using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Messaging.Storage;

/// <summary>
/// The messaging service's tables in every tenant store: the message log (which is also its outbox), the
/// channels' sender settings and the templates. Version 2 added the messages' attachments, version 3
/// their extra e-mail headers.
/// </summary>
public sealed class MessagingTables : ISystemTables
{
    public string Name => "messaging";

    public int Version => 3;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<MessageRow>(b =>
        {
            b.ToTable("crm_message");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            if (version < 2)
            {
                b.Ignore(x => x.Attachments);
            }

            if (version < 3)
            {
                b.Ignore(x => x.Headers);
            }

            // The sender's question: which messages are due.
            b.HasIndex(x => new { x.Status, x.NextAttemptAt });
            // The recipient's timeline.
            b.HasIndex(x => new { x.Entity, x.RecordId, x.CreatedAt });
            // The daily cap: how many a channel sent since midnight.
            b.HasIndex(x => new { x.Channel, x.SentAt });
        });
        builder.Entity<ChannelSettingsRow>(b =>
        {
            b.ToTable("crm_message_channel");
            b.HasKey(x => x.Channel);
        });
        builder.Entity<TemplateRow>(b =>
        {
            b.ToTable("crm_message_template");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.Name, x.Language }).IsUnique();
        });
    }
}
