using CrmEngine.Engine.Records;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Messaging;

/// <summary>Who may manage messaging: sender settings, templates and inbound e-mail's settings and log are for the tenant's admins.</summary>
public static class MessagingAccess
{
    public static void RequireAdmin(CrmSession session)
    {
        if (!session.Permissions.IsAdmin)
        {
            throw new CrmException(ErrorCodes.Forbidden, "Messaging settings, templates and the inbound e-mail log need admin rights.");
        }
    }
}
