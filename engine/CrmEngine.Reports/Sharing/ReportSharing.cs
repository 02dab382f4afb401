using System.Text.Json;
using CrmEngine.Engine.Records;

namespace CrmEngine.Reports.Sharing;

/// <summary>Who besides the owner (and admins) sees a report or dashboard.</summary>
public enum ReportAccess
{
    /// <summary>The owner only.</summary>
    Private,

    /// <summary>The owner and the users, teams' members and roles' holders named.</summary>
    Shared,

    /// <summary>Every user of the tenant (not external users: they see only what is shared with them by name).</summary>
    Public,
}

/// <summary>
/// A report's or dashboard's sharing: its access and, for <see cref="ReportAccess.Shared"/>, whom it
/// is shared with. Sharing lets people see and run it (with their own rights); only the owner and
/// admins change or delete it.
/// </summary>
public sealed record ReportSharing(ReportAccess Access, IReadOnlyList<Guid> Users, IReadOnlyList<Guid> Teams, IReadOnlyList<string> Roles)
{
    public static ReportSharing Private { get; } = new(ReportAccess.Private, [], [], []);

    public string Write() => JsonSerializer.Serialize(this, Definitions.ReportDefinition.Json);

    public static ReportSharing Read(string? json) =>
        string.IsNullOrEmpty(json) ? Private : JsonSerializer.Deserialize<ReportSharing>(json, Definitions.ReportDefinition.Json) ?? Private;

    /// <summary>Whether the caller sees something owned by <paramref name="owner"/> and shared so.</summary>
    public bool Reaches(CrmSession session, Guid owner)
    {
        var permissions = session.Permissions;
        if (permissions.IsAdmin || owner == session.Principal.UserId)
        {
            return true;
        }

        return Access switch
        {
            ReportAccess.Public => permissions.External is null,
            ReportAccess.Shared => Users.Concat(Teams).Any(permissions.SharePrincipals.Contains) || Roles.Any(permissions.RoleNames.Contains),
            _ => false,
        };
    }

    /// <summary>Only the owner and admins change or delete.</summary>
    public static bool MayChange(CrmSession session, Guid owner) => session.Permissions.IsAdmin || owner == session.Principal.UserId;
}
