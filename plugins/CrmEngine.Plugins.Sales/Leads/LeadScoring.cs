namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// The default lead score: how reachable and how warm a lead is. Tenants tune it with rules (a
/// before-rule on lead may set score and grade; <c>crm.plugins.sales.leadScore</c> and
/// <c>gradeFor</c> give the defaults to start from).
/// </summary>
internal static class LeadScoring
{
    /// <summary>Fields whose change re-scores a lead.</summary>
    public static readonly IReadOnlyList<string> Inputs = ["email", "phone", "company", "title", "industry", "source"];

    public static long Score(Func<string, object?> value)
    {
        long score = 0;
        score += Has(value("email")) ? 15 : 0;
        score += Has(value("phone")) ? 15 : 0;
        score += Has(value("company")) ? 10 : 0;
        score += Has(value("title")) ? 10 : 0;
        score += Has(value("industry")) ? 5 : 0;
        score += (value("source") as string) switch
        {
            "referral" => 30,
            "event" => 20,
            "webForm" => 15,
            "social" or "api" => 10,
            "coldCall" or "import" => 5,
            _ => 0,
        };
        return score;
    }

    private static bool Has(object? value) => value is string text ? !string.IsNullOrWhiteSpace(text) : value is not null;
}
