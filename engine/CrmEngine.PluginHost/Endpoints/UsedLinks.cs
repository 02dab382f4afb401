using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.PluginHost.Endpoints;

/// <summary>Per tenant: a single-use link that has been used, kept until it would have expired anyway.</summary>
public sealed class UsedLinkRow
{
    public required Guid Id { get; set; }

    public DateTime ExpiresAt { get; set; }
}

/// <summary>The public endpoints' table in every tenant store: the single-use links already used (crm_used_link).</summary>
public sealed class UsedLinkTables : ISystemTables
{
    public string Name => "links";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version) =>
        builder.Entity<UsedLinkRow>(b =>
        {
            b.ToTable("crm_used_link");
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.ExpiresAt);
        });
}
