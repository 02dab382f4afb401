using CrmEngine.Engine.Records;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Messaging;

/// <summary>Who may manage messaging: sender settings and templates are for the tenant's admins.</summary>
internal static class MessagingAccess
{
    public static void RequireAdmin(CrmSession session)
    {
        if (!session.Permissions.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, "Messaging settings and templates need admin rights.");
        }
    }
}
