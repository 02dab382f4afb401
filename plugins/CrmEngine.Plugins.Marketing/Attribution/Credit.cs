using CrmEngine.Plugins.Marketing.Common;

namespace CrmEngine.Plugins.Marketing.Attribution;

/// <summary>One touch's share of an opportunity: its W-shaped roles, its percentage under the model and the amount to the cent.</summary>
internal sealed record Share(Touch Touch, IReadOnlyList<string> Roles, decimal Percent, decimal Amount);

/// <summary>Divides opportunities' amounts between their touches under a model.</summary>
internal sealed class Credit
{
    private readonly Dictionary<Guid, DateTime> _leadCreated;

    private Credit(Dictionary<Guid, DateTime> leadCreated) => _leadCreated = leadCreated;

    /// <summary>When each opportunity's lead was created (the earliest, when several leads were converted into it).</summary>
    public static async Task<Credit> LoadAsync(IRecordApi records, CancellationToken cancellationToken)
    {
        var created = new Dictionary<Guid, DateTime>();
        await foreach (var lead in records.QueryAllAsync("lead", Condition.IsNotNull("convertedOpportunity"), cancellationToken: cancellationToken))
        {
            var opportunity = lead.GetValue<Guid>("convertedOpportunity");
            created[opportunity] = created.TryGetValue(opportunity, out var at) && at < lead.CreatedAt ? at : lead.CreatedAt;
        }

        return new Credit(created);
    }

    /// <summary>
    /// The opportunity's amount divided between its touches: each gets amount × percent / 100, cut to
    /// whole cents, and the cents the cuts lost go one each to the touches that lost most (the earlier
    /// on a tie), so the shares add up to the amount exactly.
    /// </summary>
    public IReadOnlyList<Share> Split(Influenced influenced, string model)
    {
        var roles = Models.Roles(influenced.Touches, _leadCreated.TryGetValue(influenced.Opportunity.Id, out var at) ? at : null);
        var percents = Models.Percentages(model, roles);
        var amounts = Amounts.Allocate(Amounts.Of(influenced.Opportunity, "amount"), percents);
        return influenced.Touches.Select((touch, i) => new Share(touch, roles[i], Math.Round(percents[i], 4, MidpointRounding.AwayFromZero), amounts[i])).ToList();
    }
}
