namespace CrmEngine.Plugins.Marketing.Campaigns;

/// <summary>
/// The campaign lifecycle: planned → active ⇄ paused → completed; anything not finished may be
/// cancelled. Completed and cancelled are final.
/// </summary>
internal static class CampaignStatuses
{
    private static readonly Dictionary<string, string[]> Next = new()
    {
        ["planned"] = ["active", "cancelled"],
        ["active"] = ["paused", "completed", "cancelled"],
        ["paused"] = ["active", "completed", "cancelled"],
        ["completed"] = [],
        ["cancelled"] = [],
    };

    public static bool IsClosed(string? status) => status is "completed" or "cancelled";

    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    public static string Allowed(string from) => Next.TryGetValue(from, out var next) && next.Length > 0 ? string.Join(", ", next) : "nothing (it is final)";
}
