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

    public bool IsAdmin => Roles.Contains(AdminRole, StringComparer.Ordinal);

    public static CrmPrincipal System(string tenantId) => new(tenantId, SystemUserId, null, [AdminRole]);
}
