using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary>
/// The attribution models: how an opportunity's credit (in percent, adding up to 100) is divided
/// between its touches, oldest first. The README's "Attribution rules" section says the same in words.
/// </summary>
internal static class Models
{
    public const string FirstTouch = "FIRST_TOUCH";
    public const string LastTouch = "LAST_TOUCH";
    public const string Linear = "LINEAR";
    public const string WShaped = "W_SHAPED";

    public static readonly string[] All = [FirstTouch, LastTouch, Linear, WShaped];

    public static TypeRef Type { get; } = TypeRef.Enum("AttributionModel", All);

    public const string First = "FIRST";
    public const string LeadCreation = "LEAD_CREATION";
    public const string OpportunityCreation = "OPPORTUNITY_CREATION";

    /// <summary>
    /// The W-shaped roles of each touch: the first touch; the lead-creation touch (the last touch at
    /// or before the opportunity's lead was created, or the first touch when there is no such lead or
    /// touch); the opportunity-creation touch (the last touch, as only touches up to the opportunity's
    /// creation count).
    /// </summary>
    public static List<string>[] Roles(IReadOnlyList<Touch> touches, DateTime? leadCreatedAt)
    {
        var roles = touches.Select(_ => new List<string>()).ToArray();
        if (touches.Count == 0)
        {
            return roles;
        }

        var lead = 0;
        for (var i = 0; leadCreatedAt is { } created && i < touches.Count && touches[i].At <= created; i++)
        {
            lead = i;
        }

        roles[0].Add(First);
        roles[lead].Add(LeadCreation);
        roles[^1].Add(OpportunityCreation);
        return roles;
    }

    /// <summary>Each touch's credit in percent, from the model and the W-shaped roles.</summary>
    public static decimal[] Percentages(string model, IReadOnlyList<List<string>> roles)
    {
        var n = roles.Count;
        var weights = new decimal[n];
        if (n == 0)
        {
            return weights;
        }

        switch (model)
        {
            case FirstTouch:
                weights[0] = 100m;
                break;
            case LastTouch:
                weights[^1] = 100m;
                break;
            case Linear:
                Array.Fill(weights, 100m / n);
                break;
            case WShaped:
                // 30 per role held; the touches with no role share the other 10, or, when every touch
                // holds a role, the distinct role holders share it.
                var rest = Enumerable.Range(0, n).Where(i => roles[i].Count == 0).ToList();
                var sharing = rest.Count > 0 ? rest : Enumerable.Range(0, n).ToList();
                for (var i = 0; i < n; i++)
                {
                    weights[i] = (30m * roles[i].Count) + (sharing.Contains(i) ? 10m / sharing.Count : 0m);
                }

                break;
            default:
                throw new OperationException(Common.MarketingErrors.InvalidInput, $"Unknown attribution model '{model}'; use {string.Join(", ", All)}.", "model");
        }

        return weights;
    }
}
