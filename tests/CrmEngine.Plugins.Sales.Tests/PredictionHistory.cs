namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// Generated histories for the predictive scores, from a seeded random source so every run writes the
/// same records. "Signal": the outcome follows one feature most of the time; "noise": it follows nothing.
/// </summary>
public static class PredictionHistory
{
    private const string Convert = "mutation($id: ID!) { convertLead(id: $id) { result { lead { id } } userErrors { code message } } }";

    /// <summary>
    /// <paramref name="count"/> closed leads, half from referrals and half from cold calls, of random
    /// industries. With a signal, 90% of referrals and 10% of cold calls are converted (the rest marked
    /// unqualified); as noise, a coin decides. Returns how many were converted and how many unqualified.
    /// </summary>
    public static async Task<(int Converted, int Unqualified)> LeadsAsync(GraphQLClient admin, string tenantTag, int count, bool signal, int seed)
    {
        var random = new Random(seed);
        string[] industries = ["manufacturing", "it", "retail", "finance"];
        var outcomes = new List<bool>();
        var inputs = new List<object>();
        for (var i = 0; i < count; i++)
        {
            var referral = i % 2 == 0;
            var converts = signal ? random.NextDouble() < (referral ? 0.9 : 0.1) : random.Next(2) == 0;
            outcomes.Add(converts);
            inputs.Add(new
            {
                name = $"联系人 {tenantTag}-{i}",
                company = $"{tenantTag} 客户公司 {i} 号",
                source = referral ? "referral" : "coldCall",
                industry = industries[random.Next(industries.Length)],
                status = converts ? "new" : "unqualified",
            });
        }

        var ids = await CreateManyAsync(admin, "Lead", inputs);
        for (var i = 0; i < count; i++)
        {
            if (outcomes[i])
            {
                await admin.MutateAsync(Convert, new { id = ids[i] });
            }
        }

        return (outcomes.Count(o => o), outcomes.Count(o => !o));
    }

    /// <summary>
    /// <paramref name="count"/> customers, each ordering from a year before the observation day
    /// (<paramref name="asOf"/> − 180 days). Half are steady (an order every 60 days up to it) and half
    /// fading (an order every 90 days, the last 150 to 240 days before it). After the observation day,
    /// 90% of the steady ones keep ordering every 60 days and 10% of the fading ones order once more;
    /// the others churn. Returns how many churned and how many were retained.
    /// </summary>
    public static async Task<(int Churned, int Retained)> CustomersAsync(GraphQLClient admin, string tenantTag, int count, DateOnly asOf, int seed)
    {
        var random = new Random(seed);
        var observed = asOf.AddDays(-180);
        var ids = await CreateManyAsync(admin, "Account", [.. Enumerable.Range(0, count).Select(i => new { name = $"{tenantTag} 老客户 {i} 号" })]);
        var orders = new List<object>();
        var churned = 0;
        for (var i = 0; i < count; i++)
        {
            var steady = i % 2 == 0;
            var days = new List<DateOnly>();
            var last = steady ? observed.AddDays(-random.Next(0, 30)) : observed.AddDays(-random.Next(150, 240));
            for (var day = last; day >= observed.AddDays(-365); day = day.AddDays(steady ? -60 : -90))
            {
                days.Add(day);
            }

            var keeps = random.NextDouble() < (steady ? 0.9 : 0.1);
            for (var day = observed.AddDays(random.Next(20, 60)); keeps && day <= asOf; day = day.AddDays(steady ? 60 : 365))
            {
                days.Add(day);
            }

            churned += keeps ? 0 : 1;
            orders.AddRange(days.Select(d => new { accountId = ids[i], orderDate = Gql.Day(d) }));
        }

        await CreateManyAsync(admin, "Order", orders);
        return (churned, count - churned);
    }

    /// <summary>createManyX in requests of 100 items (small bodies, so none counts as an expensive request); the new ids in order.</summary>
    private static async Task<List<string>> CreateManyAsync(GraphQLClient admin, string typeName, IReadOnlyList<object> inputs)
    {
        var field = char.ToLowerInvariant(typeName[0]) + typeName[1..];
        var ids = new List<string>();
        foreach (var chunk in inputs.Chunk(100))
        {
            var created = await admin.MutateAsync(
                $"mutation($i: [Create{typeName}Input!]!) {{ createMany{typeName}s(inputs: $i) {{ results {{ {field} {{ id }} }} userErrors {{ code message }} }} }}", new { i = chunk });
            ids.AddRange(created["results"]!.AsArray().Select(r => r![field]!.Id()));
        }

        return ids;
    }
}
