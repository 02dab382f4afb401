using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;

namespace CrmEngine.Approvals.Requests;

internal static class Sessions
{
    /// <summary>The caller with the engine's record rights, still acting in their name (as a merge's relinking does).</summary>
    public static CrmSession Privileged(CrmSession session) =>
        new(session.Store, session.Principal, Permissions.System(session.Principal)) { View = session.View, OnBehalfOf = session.Principal.UserId };

    /// <summary>Reads in the open write of the session's tenant when there is one (it sees what the write did), else on a context of its own.</summary>
    public static async Task<T> ReadAsync<T>(CrmSession session, Func<TenantDbContext, Task<T>> read)
    {
        if (WriteScope.For(session) is { } scope)
        {
            return await read(scope.Context);
        }

        await using var context = session.CreateContext();
        return await read(context);
    }
}
