using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Engine.Identity;

/// <summary>
/// Checks the user ids the engine is asked to store, so each names an identity of the session's
/// tenant: the writer itself (or whom an engine session works for, <see cref="CrmSession.OnBehalfOf"/>),
/// the engine's own system identity, a user of the tenant's directory, or the identity one of the
/// tenant's keys acts as (an integration's). Anything else, a made-up id or another tenant's user,
/// gets one answer (USER_NOT_FOUND), so the check tells nothing about users elsewhere.
/// </summary>
public sealed class UserReferences(IdentityDirectory identities, TenantCatalog catalog)
{
    /// <summary>
    /// A record's owner: an identity that can still act (an active user, a working key), since the
    /// record's work goes to them.
    /// </summary>
    public ValueTask<CrmError?> CheckOwnerAsync(CrmSession session, Guid userId, CancellationToken cancellationToken) =>
        CheckAsync(session, userId, SystemFields.OwnerId, mustAct: true, cancellationToken);

    /// <summary>
    /// A notification's recipient: any user of the tenant, deactivated ones too (records still name
    /// people who left; telling them is pointless but harmless, and must not fail the write it came with).
    /// </summary>
    public ValueTask<CrmError?> CheckRecipientAsync(CrmSession session, Guid userId, CancellationToken cancellationToken) =>
        CheckAsync(session, userId, "userId", mustAct: false, cancellationToken);

    private async ValueTask<CrmError?> CheckAsync(CrmSession session, Guid userId, string field, bool mustAct, CancellationToken cancellationToken)
    {
        // The writer itself needs no lookup: the common case, a record created for its creator.
        if (userId == session.Principal.UserId || userId == session.OnBehalfOf || userId == CrmPrincipal.SystemUserId)
        {
            return null;
        }

        // Users come from the directory kept in memory; only an id that is no user (an integration's,
        // or one that names nobody) costs a query of the catalog.
        var directory = await identities.GetAsync(session.Store, cancellationToken);
        var known = directory.Users.TryGetValue(userId, out var user)
            ? user.Active || !mustAct
            : await catalog.IsKeyIdentityAsync(session.TenantId, userId, cancellationToken);
        return known ? null : new CrmError(ErrorCodes.UserNotFound, $"There is no {(mustAct ? "active " : string.Empty)}user {userId} in this tenant.", field);
    }
}
