using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Sharing;

/// <summary>One record shared with one user or team, to read or to edit.</summary>
public sealed class ShareRow
{
    public Guid Id { get; set; }

    public required string Entity { get; set; }

    public Guid RecordId { get; set; }

    /// <summary>The user or team the record is shared with (ids of both are unique across the tenant).</summary>
    public Guid PrincipalId { get; set; }

    /// <summary>Whether <see cref="PrincipalId"/> names a team rather than a user.</summary>
    public bool IsTeam { get; set; }

    /// <summary>Edit (update) besides read.</summary>
    public bool CanEdit { get; set; }

    public DateTime CreatedAt { get; set; }

    public Guid CreatedBy { get; set; }
}

/// <summary>A lookup through which a share reaches further: a record shared is shared with the records whose lookup points to it.</summary>
public sealed class ShareInheritanceRow
{
    public required string Entity { get; set; }

    public required string Field { get; set; }
}

/// <summary>A lookup that ties records to an organization: external users of the organization reach the records pointing to it.</summary>
public sealed class OrganizationLookupRow
{
    public required string Entity { get; set; }

    public required string Field { get; set; }
}

/// <summary>A user of kind external: someone of a customer or partner, belonging to one organization record.</summary>
public sealed class ExternalUserRow
{
    public Guid UserId { get; set; }

    /// <summary>The entity of the organization record (an account, a partner...).</summary>
    public required string OrganizationEntity { get; set; }

    public Guid OrganizationId { get; set; }
}

/// <summary>Record shares, the lookups shares and organizations reach through, and external users' organizations.</summary>
public sealed class SharingTables : ISystemTables
{
    public string Name => "sharing";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<ShareRow>(b =>
        {
            b.ToTable("crm_record_share");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            // The read predicate's question: which records of this entity are shared with these principals.
            b.HasIndex(x => new { x.PrincipalId, x.Entity, x.RecordId }).IsUnique();
            b.HasIndex(x => new { x.Entity, x.RecordId });
        });
        builder.Entity<ShareInheritanceRow>(b =>
        {
            b.ToTable("crm_share_inheritance");
            b.HasKey(x => new { x.Entity, x.Field });
        });
        builder.Entity<OrganizationLookupRow>(b =>
        {
            b.ToTable("crm_organization_lookup");
            b.HasKey(x => new { x.Entity, x.Field });
        });
        builder.Entity<ExternalUserRow>(b =>
        {
            b.ToTable("crm_external_user");
            b.HasKey(x => x.UserId);
            b.Property(x => x.UserId).ValueGeneratedNever();
            b.HasIndex(x => new { x.OrganizationEntity, x.OrganizationId });
        });
    }
}
