using System.Globalization;
using CrmEngine.Plugins.Partners.Agreements;
using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Registrations;

namespace CrmEngine.Plugins.Partners.Incentives;

/// <summary>
/// Partner commissions (伙伴佣金) on payments collected on partner-sourced deals, read through the
/// record API from sales' payments, orders and opportunities. A payment earns at the rates of the
/// partner's agreement approved for the day it was received: it is split over its order's lines in
/// proportion to their totals (to the cent, the parts adding up exactly) and each part earns the
/// commission rate of its product's category; an order without lines earns at the category its
/// deal registration named. A payment is counted once: the commission's unique payment index holds
/// even when two runs or two hosts race, and the loser's write is skipped as already counted.
/// </summary>
internal static class CommissionAccrual
{
    /// <summary>Sales' product categories as agreements name them (sales' "other" has no rate).</summary>
    private static readonly Dictionary<string, string> Categories = new(StringComparer.Ordinal)
    {
        ["software"] = "software", ["hardware"] = "hardware", ["service"] = "services", ["subscription"] = "cloud",
    };

    /// <summary>Payments on orders of partner-sourced opportunities that no commission counts yet.</summary>
    private static readonly Condition Uncounted = Condition.All(
        Condition.Through("order", Condition.Through("opportunity", Condition.All(Condition.Eq("partnerRole", "sourced"), Condition.IsNotNull("partner")))),
        Condition.Related(IncentiveEntities.Commission, "payment", RelatedMatch.None));

    /// <summary>Counts every uncounted payment it can (those with an agreement for their day); returns how many.</summary>
    public static async Task<int> AccrueAsync(IRecordApi records, CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var payment in await RecordReads.AllAsync(records, "payment", Uncounted, cancellationToken))
        {
            var order = (await records.GetAsync("order", payment.GetValue<Guid>("order"), cancellationToken))!;
            var opportunity = (await records.GetAsync("opportunity", order.GetValue<Guid>("opportunity"), cancellationToken))!;
            var partner = opportunity.GetValue<Guid>("partner");
            var receivedOn = payment.GetValue<DateOnly>("receivedOn");
            if (await AgreementOnAsync(records, partner, receivedOn, cancellationToken) is not { } agreement)
            {
                continue; // counted once an agreement covering the day is approved
            }

            var rates = (await records.FindAsync(AgreementEntities.Rate, Condition.Eq("agreement", agreement.Id), 50, cancellationToken))
                .ToDictionary(r => r.GetValue<string>("category")!, r => r.GetValue<decimal?>("commissionRate") ?? 0m, StringComparer.Ordinal);
            var amount = PartnerMoney.AmountOf(payment, "amount");
            var earned = 0m;
            foreach (var (category, part) in await PartsAsync(records, order, opportunity, amount, cancellationToken))
            {
                earned += PartnerMoney.Percent(part, category is null ? 0m : rates.GetValueOrDefault(category));
            }

            var outcome = await records.CreateAsync(IncentiveEntities.Commission, new FieldValues
            {
                ["partner"] = partner,
                ["payment"] = payment.Id,
                ["order"] = order.Id,
                ["opportunity"] = opportunity.Id,
                ["agreement"] = agreement.Id,
                ["receivedOn"] = receivedOn,
                ["baseAmount"] = PartnerMoney.Cny(amount),
                ["rate"] = amount == 0m ? 0m : Math.Round(earned * 100m / amount, 4, MidpointRounding.AwayFromZero),
                ["amount"] = PartnerMoney.Cny(earned),
                ["note"] = string.Create(CultureInfo.InvariantCulture, $"{agreement.GetValue<string>("number")}: {amount:0.00} received {receivedOn:yyyy-MM-dd}"),
            }, cancellationToken);
            if (outcome.Succeeded)
            {
                created++;
            }
            else if (outcome.Errors[0].Code != "UNIQUE_VIOLATION")
            {
                throw new CrmEngine.Sdk.Operations.OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, "payment");
            }
        }

        return created;
    }

    /// <summary>The partner's agreement approved for a day (the latest to start, when several cover it).</summary>
    public static async Task<CrmRecord?> AgreementOnAsync(IRecordApi records, Guid partner, DateOnly day, CancellationToken cancellationToken)
    {
        var covering = Condition.All(Condition.Eq("partner", partner), Condition.Eq("status", "approved"), Condition.Lte("startDate", day), Condition.Gte("endDate", day));
        var page = await records.QueryAsync(AgreementEntities.Agreement, new RecordQuery { Where = covering, OrderBy = [SortBy.Desc("startDate")], First = 1 }, cancellationToken);
        return page.Records.Count > 0 ? page.Records[0] : null;
    }

    /// <summary>The payment split over the order's lines by their totals, each part with its agreement category.</summary>
    private static async Task<List<(string? Category, decimal Amount)>> PartsAsync(IRecordApi records, CrmRecord order, CrmRecord opportunity, decimal amount, CancellationToken cancellationToken)
    {
        var lines = await records.FindAsync("orderLine", Condition.Eq("order", order.Id), 500, cancellationToken);
        if (lines.Count == 0)
        {
            var registration = await records.FindAsync(RegistrationEntities.Registration, Condition.Eq("opportunity", opportunity.Id), 1, cancellationToken);
            var named = registration.Count > 0 ? registration[0].GetValue<IReadOnlyList<string>>("productCategories") : null;
            return [(named is { Count: > 0 } ? named[0] : null, amount)];
        }

        var parts = PartnerMoney.Allocate(amount, lines.Select(l => PartnerMoney.AmountOf(l, "total")).ToList());
        var result = new List<(string?, decimal)>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var product = lines[i].GetValue("product") is Guid id ? await records.GetAsync("product", id, cancellationToken) : null;
            result.Add((product?.GetValue<string>("category") is { } category ? Categories.GetValueOrDefault(category) : null, parts[i]));
        }

        return result;
    }
}
