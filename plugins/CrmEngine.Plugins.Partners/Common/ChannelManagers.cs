using CrmEngine.Sdk.Approvals;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>Who approves partner agreements and deal registrations: the active holders of the <c>channelManager</c> role (渠道经理).</summary>
internal static class ChannelManagers
{
    public const string Role = "channelManager";

    /// <summary>The one step partner processes have: a channel manager or the owner's team manager decides; admins may too.</summary>
    public static ApprovalProcessBuilder ChannelStep(this ApprovalProcessBuilder process) => process
        .Step("channel", ApprovalMode.Any, [Approver.Resolved("holders of the channelManager role", ResolveAsync), Approver.OwnersManager()])
        .AdminsMayApprove();

    public static async Task<IEnumerable<Guid>> ResolveAsync(ApproverContext context, CancellationToken cancellationToken) =>
        (await context.Directory.GetUsersAsync(cancellationToken)).Where(u => u.Active && u.Roles.Contains(Role, StringComparer.Ordinal)).Select(u => u.Id);

    /// <summary>Money the module computes and pays is handled by channel managers and admins only; anyone else is FORBIDDEN.</summary>
    public static void Require(IOperationContext context)
    {
        if (!context.Identity.IsAdmin && !context.Identity.Roles.Contains(Role, StringComparer.Ordinal))
        {
            throw new OperationException(PartnerErrors.Forbidden, "Only channel managers and admins compute and pay partner incentives.");
        }
    }
}
