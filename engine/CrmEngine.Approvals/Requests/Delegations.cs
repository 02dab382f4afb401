using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Approvals.Requests;

/// <summary>
/// Users hand their approvals to a delegate for a period (holidays): while it runs, the delegate
/// sees the user's open approvals among their own and decides them on the user's behalf (the
/// history names both). One delegation per user; a new one replaces it, none (to = null) ends it.
/// </summary>
public sealed class Delegations(IdentityDirectory identities, TimeProvider time)
{
    /// <summary>The users whose approvals <paramref name="delegateId"/> may decide now.</summary>
    public async Task<List<Guid>> ActingForAsync(TenantDbContext context, Guid delegateId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await context.Set<ApprovalDelegationRow>().AsNoTracking()
            .Where(d => d.DelegateId == delegateId && d.From <= now && d.Until > now).Select(d => d.UserId).ToListAsync(cancellationToken);
    }

    public async Task<ApprovalDelegationRow?> GetAsync(CrmSession session, CancellationToken cancellationToken)
    {
        var user = session.Principal.UserId;
        await using var context = session.CreateContext();
        return await context.Set<ApprovalDelegationRow>().AsNoTracking().SingleOrDefaultAsync(d => d.UserId == user, cancellationToken);
    }

    /// <summary>Delegates the caller's approvals to <paramref name="to"/> from <paramref name="from"/> (now by default) until <paramref name="until"/>; to = null ends the caller's delegation.</summary>
    public async Task<ApprovalDelegationRow?> SetAsync(CrmSession session, Guid? to, DateTime? from, DateTime? until, CancellationToken cancellationToken)
    {
        var user = session.Principal.UserId;
        var now = time.GetUtcNow().UtcDateTime;
        await using var context = session.CreateContext();
        var existing = await context.Set<ApprovalDelegationRow>().AsTracking().SingleOrDefaultAsync(d => d.UserId == user, cancellationToken);
        if (to is not { } delegateId)
        {
            if (existing is not null)
            {
                context.Remove(existing);
                await context.SaveChangesAsync(cancellationToken);
            }

            return null;
        }

        var directory = await identities.GetAsync(session.Store, cancellationToken);
        if (!directory.Users.TryGetValue(delegateId, out var target) || !target.Active)
        {
            throw new CrmException(ErrorCodes.UserNotFound, "There is no active user with that id to delegate to.", "to");
        }

        if (delegateId == user)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "You can't delegate your approvals to yourself.", "to");
        }

        var start = (from ?? now).ToUniversalTime();
        if (until is not { } end || end.ToUniversalTime() <= start || end.ToUniversalTime() <= now)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "A delegation ends (until) in the future and after it starts (from).", "until");
        }

        var row = existing ?? context.Set<ApprovalDelegationRow>().Add(new ApprovalDelegationRow { UserId = user }).Entity;
        row.DelegateId = delegateId;
        row.From = start;
        row.Until = end.ToUniversalTime();
        row.CreatedAt = now;
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }
}
