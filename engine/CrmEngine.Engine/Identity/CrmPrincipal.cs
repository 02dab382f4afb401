namespace CrmEngine.Engine.Identity;

/// <summary>
/// Who is calling, as established by a credential: the tenant always comes from here, never from
/// a header or argument alone.
/// </summary>
public sealed record CrmPrincipal(string TenantId, Guid UserId, string? KeyId, IReadOnlyList<string> Roles)
{
    public const string AdminRole = "admin";

    /// <summary>The engine itself, for work no user triggered directly (seeding, jobs).</summary>
    public static Guid SystemUserId { get; } = Guid.Parse("00000000-0000-7000-8000-000000000001");

    /// <summary>
    /// The anonymous public identity: whoever holds a signed link to a plugin's public endpoint. It has
    /// no role, so no record permissions of its own; the plugin writes for it through privileged APIs.
    /// </summary>
    public static Guid PublicUserId { get; } = Guid.Parse("00000000-0000-7000-8000-000000000002");

    public bool IsAdmin => Roles.Contains(AdminRole, StringComparer.Ordinal);

    public static CrmPrincipal System(string tenantId) => new(tenantId, SystemUserId, null, [AdminRole]);

    /// <summary>The anonymous public identity on a tenant (<see cref="PublicUserId"/>), without any role.</summary>
    public static CrmPrincipal Public(string tenantId) => new(tenantId, PublicUserId, null, []);
}
