namespace CrmEngine.Plugins.Marketing.Members;

/// <summary>
/// How a member's status may move. Engagement only goes forward (targeted → sent → delivered →
/// opened → clicked → responded → converted; steps may be skipped). A bounce can only follow a send
/// that never arrived (targeted, sent, or delivered: a relay that accepted the mail may report later,
/// by a delivery status mail, that it could not deliver it); anyone not yet out may unsubscribe; unsubscribed and
/// bounced are final. A member has responded (a touch, for attribution) once it reaches responded.
/// </summary>
internal static class MemberStatuses
{
    private static readonly string[] Engagement = ["targeted", "sent", "delivered", "opened", "clicked", "responded", "converted"];

    public static bool IsResponse(string? status) => status is "responded" or "converted";

    /// <summary>Why the status can't move from <paramref name="from"/> to <paramref name="to"/>, or null when it can.</summary>
    public static string? Refusal(string from, string to)
    {
        if (from is "unsubscribed" or "bounced")
        {
            return $"The member is {from}; that is final.";
        }

        return to switch
        {
            "unsubscribed" => null,
            "bounced" => from is "targeted" or "sent" or "delivered" ? null : $"A {from} member was reached; it can't bounce.",
            _ => Array.IndexOf(Engagement, to) > Array.IndexOf(Engagement, from) ? null : $"A member's engagement only moves forward; {from} can't go back to {to}.",
        };
    }
}
