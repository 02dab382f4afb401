namespace CrmEngine.Sdk.Identity;

/// <summary>Who is acting: the tenant, the user and their roles, as the engine established them.</summary>
public interface ICrmIdentity
{
    /// <summary>The tenant. It always comes from the caller's credential.</summary>
    string TenantId { get; }

    /// <summary>The user (or, for jobs and seeds, the engine's system user).</summary>
    Guid UserId { get; }

    /// <summary>The user's roles.</summary>
    IReadOnlyList<string> Roles { get; }

    /// <summary>True for tenant administrators.</summary>
    bool IsAdmin { get; }
}
