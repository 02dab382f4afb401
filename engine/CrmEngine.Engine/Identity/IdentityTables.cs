using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Identity;

public sealed class UserRow
{
    public Guid Id { get; set; }

    public required string Email { get; set; }

    public required string DisplayName { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>The subject of this user in the identity provider (the JWT "sub").</summary>
    public string? ExternalId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class TeamRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public Guid? ManagerId { get; set; }

    public DateTime CreatedAt { get; set; }
}

public sealed class TeamMemberRow
{
    public Guid TeamId { get; set; }

    public Guid UserId { get; set; }
}

public sealed class RoleRow
{
    public required string Name { get; set; }

    /// <summary>The JSON of <see cref="RoleDefinition"/>.</summary>
    public required string Definition { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class UserRoleRow
{
    public Guid UserId { get; set; }

    public required string Role { get; set; }
}

/// <summary>A security event: keys issued and revoked, permission changes, refused access.</summary>
public sealed class SecurityLogRow
{
    public Guid Id { get; set; }

    public DateTime At { get; set; }

    public Guid? Actor { get; set; }

    public string? KeyId { get; set; }

    public required string Event { get; set; }

    public required string Detail { get; set; }
}

/// <summary>Users, teams, roles and the security log, in every tenant store.</summary>
public sealed class IdentitySystemTables : ISystemTables
{
    public string Name => "identity";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<UserRow>(b =>
        {
            b.ToTable("crm_user");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => x.Email).IsUnique();
            b.HasIndex(x => x.ExternalId).IsUnique();
        });
        builder.Entity<TeamRow>(b =>
        {
            b.ToTable("crm_team");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => x.Name).IsUnique();
        });
        builder.Entity<TeamMemberRow>(b =>
        {
            b.ToTable("crm_team_member");
            b.HasKey(x => new { x.TeamId, x.UserId });
        });
        builder.Entity<RoleRow>(b =>
        {
            b.ToTable("crm_role");
            b.HasKey(x => x.Name);
        });
        builder.Entity<UserRoleRow>(b =>
        {
            b.ToTable("crm_user_role");
            b.HasKey(x => new { x.UserId, x.Role });
        });
        builder.Entity<SecurityLogRow>(b =>
        {
            b.ToTable("crm_security_log");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => x.At);
        });
    }
}
