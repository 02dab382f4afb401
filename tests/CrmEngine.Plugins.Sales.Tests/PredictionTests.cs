using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// Predictive scores trained per tenant by the nightly job (20:00 UTC, 04:00 Beijing) on generated
/// histories: a known signal gives a model that ranks by it, noise gives a model reported as low quality,
/// too little history gives the rule score and says so, and no tenant's records reach another's model.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class PredictionTests(SalesHost fixture, ITestOutputHelper output)
{
    private const string Models = "{ predictionModels { nodes { kind algorithm auc logLoss trainingRows positives negatives trainedAt quality usingRuleFallback message } } }";

    [Fact]
    public async Task Lead_conversion_learnt_from_a_history_where_referrals_convert_ranks_a_referral_first_and_another_tenant_keeps_its_rule_score()
    {
        var rich = await fixture.TenantAsync();
        var small = await fixture.TenantAsync();
        var (converted, unqualified) = await PredictionHistory.LeadsAsync(rich.Admin, "甲", 240, signal: true, seed: 7);
        var warm = (await rich.Admin.CreateAsync("Lead", new { name = "推荐来的", company = "甲 新客户 A", source = "referral", industry = "it" })).Id();
        var cold = (await rich.Admin.CreateAsync("Lead", new { name = "陌生来电", company = "甲 新客户 B", source = "coldCall", industry = "it" })).Id();

        // The small tenant: one unqualified lead, and an open one with e-mail (15), phone (15), an event
        // source (20) and one follow-up (5): rule score 55.
        await small.Admin.CreateAsync("Lead", new { name = "无效线索", status = "unqualified" });
        var open = (await small.Admin.CreateAsync("Lead", new { name = "展会线索", email = "zhan@example.cn", phone = "13800001111", source = "event" })).Id();
        await small.Admin.CreateAsync("Activity", new { subject = "电话沟通", leadId = open });

        var due = await RunTheNightlyJobAsync();

        var model = await ModelAsync(rich.Admin, "leadConversion");
        Assert.Equal(
            ("LbfgsLogisticRegression", converted + unqualified, converted, unqualified, Gql.Iso(due), "good", false),
            (model["algorithm"].Str(), Int(model["trainingRows"]), Int(model["positives"]), Int(model["negatives"]), model["trainedAt"].Str(), model["quality"].Str(), model["usingRuleFallback"]!.GetValue<bool>()));
        Assert.True(model["auc"]!.GetValue<decimal>() >= 0.80m, $"AUC {model["auc"]}");
        Assert.InRange(model["logLoss"]!.GetValue<decimal>(), 0.01m, 0.69m);

        var scored = await LeadsAsync(rich.Admin, warm, cold);
        Assert.True(Int(scored[warm]["conversionScore"]) > 60 && Int(scored[cold]["conversionScore"]) < 40, $"{scored[warm]} / {scored[cold]}");
        // Both leads are in IT; what sets them apart is the source and what the rules derive from it (rule score, grade).
        string[] fromSource = ["source=referral", "source=coldCall", "ruleScore", "grade"];
        Assert.All(Factors(scored[warm]), f => Assert.True(fromSource.Contains(f!["feature"].Str()) && f["direction"].Str() == "up", f!.ToJsonString()));
        Assert.All(Factors(scored[cold]), f => Assert.True(fromSource.Contains(f!["feature"].Str()) && f["direction"].Str() == "down", f!.ToJsonString()));

        // The small tenant's model saw only its own one closed lead: too little, so the rule score, and why.
        var fallback = await ModelAsync(small.Admin, "leadConversion");
        Assert.Equal(
            ("rules", 1, 0, 1, "insufficient", true, null),
            (fallback["algorithm"].Str(), Int(fallback["trainingRows"]), Int(fallback["positives"]), Int(fallback["negatives"]), fallback["quality"].Str(), fallback["usingRuleFallback"]!.GetValue<bool>(), fallback["auc"]?.GetValue<decimal>()));
        Assert.Equal("Too little history: 0 converted and 1 unqualified examples; a model needs at least 50 of each. The rule score is used.", fallback["message"].Str());
        var rule = (await LeadsAsync(small.Admin, open))[open];
        Assert.Equal(55, Int(rule["conversionScore"]));
        Assert.Equal("""[{"feature":"ruleScore","value":50,"direction":"up","contribution":50},{"feature":"followUps","value":1,"direction":"up","contribution":5}]""", rule["scoreFactors"].Str());
    }

    [Fact]
    public async Task Churn_risk_learnt_from_customers_whose_orders_fade_puts_a_lapsed_customer_above_a_steady_one_and_is_retrained_every_night()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var now = DateTime.UtcNow;
        var due = NextDue(now);
        var today = DateOnly.FromDateTime(due.AddHours(8));
        var (churned, retained) = await PredictionHistory.CustomersAsync(admin, "乙", 140, today, seed: 11);

        // Two more customers, both examples too: one ordering every 60 days up to 10 days ago (retained),
        // one whose single order was 300 days ago (churned: nothing after the observation day).
        var steady = (await admin.CreateAsync("Account", new { name = "乙 稳定客户" })).Id();
        var lapsed = (await admin.CreateAsync("Account", new { name = "乙 流失客户" })).Id();
        for (var days = 10; days <= 310; days += 60)
        {
            await admin.CreateAsync("Order", new { accountId = steady, orderDate = Gql.Day(today.AddDays(-days)) });
        }

        await admin.CreateAsync("Order", new { accountId = lapsed, orderDate = Gql.Day(today.AddDays(-300)) });

        await fixture.RunJobsAsync(now);
        Assert.True(await fixture.RunJobsAsync(now.AddDays(1)) > 0);
        var model = await ModelAsync(admin, "accountChurn");
        Assert.Equal(
            (churned + retained + 2, churned + 1, retained + 1, Gql.Iso(due), "good", false),
            (Int(model["trainingRows"]), Int(model["positives"]), Int(model["negatives"]), model["trainedAt"].Str(), model["quality"].Str(), model["usingRuleFallback"]!.GetValue<bool>()));
        Assert.True(model["auc"]!.GetValue<decimal>() >= 0.80m, $"AUC {model["auc"]}");
        var risks = await AccountsAsync(admin, steady, lapsed);
        Assert.True(Int(risks[lapsed]["churnRisk"]) > 60 && Int(risks[steady]["churnRisk"]) < 40, $"{risks[lapsed]} / {risks[steady]}");
        Assert.Contains(Factors(risks[lapsed]), f => f!["feature"].Str() == "daysSinceLastOrder" && f["value"]!.GetValue<int>() == 300 && f["direction"].Str() == "up");

        // The same night again runs nothing; the next night retrains, and the lapsed customer's order today lowers its risk.
        Assert.Equal(0, await fixture.RunJobsAsync(now.AddDays(1)));
        await admin.CreateAsync("Order", new { accountId = lapsed, orderDate = Gql.Day(today) });
        Assert.True(await fixture.RunJobsAsync(now.AddDays(2)) > 0);
        Assert.Equal(Gql.Iso(due.AddDays(1)), (await ModelAsync(admin, "accountChurn"))["trainedAt"].Str());
        Assert.True(Int((await AccountsAsync(admin, lapsed))[lapsed]["churnRisk"]) < Int(risks[lapsed]["churnRisk"]));
    }

    [Fact]
    public async Task Outcomes_that_are_noise_give_a_model_reported_as_low_quality_and_the_rule_score_is_used()
    {
        var tenant = await fixture.TenantAsync();
        var (converted, unqualified) = await PredictionHistory.LeadsAsync(tenant.Admin, "丙", 240, signal: false, seed: 5);

        // Rule score: company 10, industry 5, referral 30 = 45; no follow-ups.
        var open = (await tenant.Admin.CreateAsync("Lead", new { name = "新线索", company = "丙 新客户", source = "referral", industry = "it" })).Id();

        await RunTheNightlyJobAsync();

        var model = await ModelAsync(tenant.Admin, "leadConversion");
        Assert.Equal(
            ("LbfgsLogisticRegression", converted + unqualified, "low", true),
            (model["algorithm"].Str(), Int(model["trainingRows"]), model["quality"].Str(), model["usingRuleFallback"]!.GetValue<bool>()));
        var auc = model["auc"]!.GetValue<decimal>();
        Assert.True(auc < 0.65m, $"AUC {auc}");
        Assert.Equal($"The model's cross-validated AUC {auc:0.000} is below 0.65: the history shows no usable signal. The rule score is used.", model["message"].Str());
        var rule = (await LeadsAsync(tenant.Admin, open))[open];
        Assert.Equal((45, """[{"feature":"ruleScore","value":45,"direction":"up","contribution":45}]"""), (Int(rule["conversionScore"]), rule["scoreFactors"].Str()));
    }

    [Fact]
    public async Task Scores_and_model_records_are_written_by_the_job_alone()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var lead = (await admin.CreateAsync("Lead", new { name = "王五" })).Id();
        var account = (await admin.CreateAsync("Account", new { name = "丁 客户" })).Id();

        var onLead = await admin.RefusedAsync("mutation($id: ID!) { updateLead(id: $id, input: { conversionScore: 99 }) { lead { id } userErrors { field code message } } }", new { id = lead });
        var onAccount = await admin.RefusedAsync("mutation($id: ID!) { updateAccount(id: $id, input: { churnFactors: \"[]\" }) { account { id } userErrors { field code message } } }", new { id = account });
        var onModel = await admin.RefusedAsync("mutation { createPredictionModel(input: { kind: \"leadConversion\", auc: 0.99 }) { predictionModel { id } userErrors { field code message } } }");
        Assert.Equal(
            [("COMPUTED_FIELD", "conversionScore"), ("COMPUTED_FIELD", "churnFactors"), ("COMPUTED_FIELD", "kind")],
            new[] { onLead, onAccount, onModel }.Select(e => (e.Code, e.Field)));
        Assert.Equal(0, await tenant.CountAsync("predictionModels"));
    }

    /// <summary>Notes the schedule now, then runs the next night's due jobs; the due time (UTC).</summary>
    private async Task<DateTime> RunTheNightlyJobAsync()
    {
        var now = DateTime.UtcNow;
        await fixture.RunJobsAsync(now);
        Assert.True(await fixture.RunJobsAsync(now.AddDays(1)) > 0);
        return NextDue(now);
    }

    /// <summary>The predictive-scores job's next due time after <paramref name="now"/>: 20:00 UTC.</summary>
    private static DateTime NextDue(DateTime now)
    {
        var due = DateTime.SpecifyKind(now.Date.AddHours(20), DateTimeKind.Utc);
        return due > now ? due : due.AddDays(1);
    }

    /// <summary>The tenant's model record of <paramref name="kind"/>, also written to the test output (the measured AUCs, for the record).</summary>
    private async Task<JsonNode> ModelAsync(GraphQLClient client, string kind)
    {
        var model = (await client.QueryAsync(Models))["predictionModels"]!["nodes"]!.AsArray().Single(m => m!["kind"].Str() == kind)!;
        output.WriteLine(model.ToJsonString());
        return model;
    }

    private static Task<Dictionary<string, JsonNode>> LeadsAsync(GraphQLClient client, params string[] ids) => RecordsAsync(client, "lead", "conversionScore scoreFactors", ids);

    private static Task<Dictionary<string, JsonNode>> AccountsAsync(GraphQLClient client, params string[] ids) => RecordsAsync(client, "account", "churnRisk churnFactors", ids);

    private static async Task<Dictionary<string, JsonNode>> RecordsAsync(GraphQLClient client, string entity, string selection, string[] ids)
    {
        var records = new Dictionary<string, JsonNode>();
        foreach (var id in ids)
        {
            records[id] = (await client.QueryAsync($"{{ {entity}(id: \"{id}\") {{ {selection} }} }}"))[entity]!;
        }

        return records;
    }

    private static JsonArray Factors(JsonNode record) => JsonNode.Parse((record["scoreFactors"] ?? record["churnFactors"]).Str())!.AsArray();

    private static int Int(JsonNode? node) => node!.GetValue<int>();
}
