namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>Marketing plans hand their budget out to campaigns, never more than they have.</summary>
[Collection(MarketingHostGroup.Name)]
public sealed class PlanAndBudgetTests(MarketingHost fixture)
{
    private static object Cny(decimal amount) => new { amount, currency = "CNY" };

    [Fact]
    public async Task A_plans_allocated_budget_is_the_sum_of_its_campaigns_budgets_as_they_come_change_move_and_go()
    {
        var tenant = await fixture.TenantAsync();
        var plan = await tenant.IdAsync("MarketingPlan", new { name = "2026 上半年市场计划", budget = Cny(100_000m), startDate = "2026-01-01", endDate = "2026-06-30" });
        var other = await tenant.IdAsync("MarketingPlan", new { name = "2026 下半年市场计划", budget = Cny(50_000m) });

        var fair = await tenant.CampaignAsync("工博会 2026", "event", new { planId = plan, budget = Cny(60_000m) });
        var mail = await tenant.CampaignAsync("春季邮件", "email", new { planId = plan, budget = Cny(15_000.50m) });
        Assert.Equal(75_000.50m, (await tenant.ReadAsync("marketingPlan", plan, "allocatedBudget { amount }"))["allocatedBudget"].Amount());

        await tenant.UpdateAsync("Campaign", mail, new { budget = Cny(20_000m) });
        Assert.Equal(80_000m, (await tenant.ReadAsync("marketingPlan", plan, "allocatedBudget { amount }"))["allocatedBudget"].Amount());

        // Moving a campaign to the other plan moves its budget with it.
        await tenant.UpdateAsync("Campaign", mail, new { planId = other });
        Assert.Equal(60_000m, (await tenant.ReadAsync("marketingPlan", plan, "allocatedBudget { amount }"))["allocatedBudget"].Amount());
        Assert.Equal(20_000m, (await tenant.ReadAsync("marketingPlan", other, "allocatedBudget { amount }"))["allocatedBudget"].Amount());

        await tenant.DeleteAsync("Campaign", fair);
        Assert.Equal(0m, (await tenant.ReadAsync("marketingPlan", plan, "allocatedBudget { amount }"))["allocatedBudget"].Amount());
    }

    [Fact]
    public async Task Overspending_a_plan_is_refused_and_changes_nothing()
    {
        var tenant = await fixture.TenantAsync();
        var plan = await tenant.IdAsync("MarketingPlan", new { name = "区域推广", budget = Cny(50_000m) });
        var small = await tenant.IdAsync("MarketingPlan", new { name = "小计划", budget = Cny(10_000m) });
        var webinar = await tenant.CampaignAsync("网络研讨会", "webinar", new { planId = plan, budget = Cny(30_000m) });

        Assert.Equal(("MKT_BUDGET_EXCEEDED", "budget"), Pick(await tenant.CreateRefusedAsync("Campaign", new { name = "超预算", type = "ad", planId = plan, budget = Cny(20_000.01m) })));
        Assert.Equal(("MKT_BUDGET_EXCEEDED", "budget"), Pick(await tenant.UpdateRefusedAsync("Campaign", webinar, new { budget = Cny(50_000.01m) })));
        Assert.Equal(("MKT_BUDGET_EXCEEDED", "budget"), Pick(await tenant.UpdateRefusedAsync("Campaign", webinar, new { planId = small })));
        // The plan's budget can't be cut below what its campaigns hold, and its allocation is the module's to keep.
        Assert.Equal(("MKT_BUDGET_EXCEEDED", "budget"), Pick(await tenant.UpdateRefusedAsync("MarketingPlan", plan, new { budget = Cny(29_999m) })));
        Assert.Equal(("MKT_COMPUTED_FIELD", "allocatedBudget"), Pick(await tenant.UpdateRefusedAsync("MarketingPlan", plan, new { allocatedBudget = Cny(0m) })));
        Assert.Equal(("INVALID_INPUT", "endDate"), Pick(await tenant.CreateRefusedAsync("MarketingPlan", new { name = "倒序", budget = Cny(1m), startDate = "2026-03-01", endDate = "2026-02-28" })));

        Assert.Equal(1, await tenant.CountAsync("campaigns"));
        Assert.Equal(2, await tenant.CountAsync("marketingPlans"));
        var after = await tenant.ReadAsync("campaign", webinar, "budget { amount } plan { id }");
        Assert.Equal((30_000m, plan), (after["budget"].Amount(), after["plan"]!["id"].Str()));
        Assert.Equal(30_000m, (await tenant.ReadAsync("marketingPlan", plan, "allocatedBudget { amount }"))["allocatedBudget"].Amount());
        Assert.Equal(0m, (await tenant.ReadAsync("marketingPlan", small, "allocatedBudget { amount }"))["allocatedBudget"]?["amount"]?.GetValue<decimal>() ?? 0m);

        // Up to the last cent is fine.
        await tenant.CampaignAsync("刚好用完", "ad", new { planId = plan, budget = Cny(20_000m) });
        Assert.Equal(50_000m, (await tenant.ReadAsync("marketingPlan", plan, "allocatedBudget { amount }"))["allocatedBudget"].Amount());
    }

    private static (string Code, string? Field) Pick(UserError error) => (error.Code, error.Field);
}
