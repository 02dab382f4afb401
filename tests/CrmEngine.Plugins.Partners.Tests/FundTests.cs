namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Market development funds (市场发展基金): budgets per partner and period, requests approved against them, never overspent.</summary>
[Collection(PartnersHostGroup.Name)]
public sealed class FundTests(PartnersHost fixture)
{
    private const string SubmitRequest = "mutation($id: ID!) { submitForApproval(entity: \"mdfRequest\", id: $id) { request { id } userErrors { field code message } } }";
    private const string ApproveRequest = "mutation($id: ID!) { approve(requestId: $id) { request { id status } userErrors { field code message } } }";
    private const string ReadBudget = "query($id: ID!) { mdfBudget(id: $id) { amount { amount } committed { amount } remaining { amount } requests(orderBy: { number: ASC }) { nodes { status amount { amount } } } } }";

    [Fact]
    public async Task Approvals_racing_for_the_last_of_a_budget_never_take_it_below_zero()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.RoleAsync("channelManager");
        var (_, manager) = await tenant.UserAsync("chen@example.com", "陈经理", "channelManager");
        var partner = await tenant.PartnerAsync("华东智联");
        var budget = await tenant.Admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027-H1", amount = new { amount = 10000m } });
        var requests = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            var request = await tenant.Admin.CreateAsync("MdfRequest", new { budgetId = budget.Id(), activity = $"渠道推介会 {i}", amount = new { amount = 3000.25m } });
            requests.Add((await tenant.Admin.MutateAsync(SubmitRequest, new { id = request.Id() }))["request"]!.Id());
        }

        // All five at once; a loser of a race may be refused for the race itself, and is then decided again, alone.
        var raced = await Task.WhenAll(requests.Select(id => manager.PostAsync(ApproveRequest, new { id })));
        var codes = raced.Select(r => (r.UserErrorCodes.Count > 0 ? r.UserErrorCodes[0] : "APPROVED")).ToList();
        foreach (var (id, _) in requests.Zip(codes).Where(p => p.Second is not ("APPROVED" or "PARTNER_MDF_OVER_BUDGET")).ToList())
        {
            var again = await manager.PostAsync(ApproveRequest, new { id });
            codes[requests.IndexOf(id)] = again.UserErrorCodes.Count > 0 ? again.UserErrorCodes[0] : "APPROVED";
        }

        Assert.Equal(3, codes.Count(c => c == "APPROVED"));
        Assert.Equal(2, codes.Count(c => c == "PARTNER_MDF_OVER_BUDGET"));
        var read = (await tenant.Admin.QueryAsync(ReadBudget, new { id = budget.Id() }))["mdfBudget"]!;
        Assert.Equal((10000m, 9000.75m, 999.25m), (read["amount"]!["amount"]!.GetValue<decimal>(), read["committed"]!["amount"]!.GetValue<decimal>(), read["remaining"]!["amount"]!.GetValue<decimal>()));
        Assert.Equal(3, read["requests"]!["nodes"]!.AsArray().Count(r => r!["status"].Str() == "approved"));
        Assert.Equal(2, read["requests"]!["nodes"]!.AsArray().Count(r => r!["status"].Str() == "pendingApproval"));
    }

    [Fact]
    public async Task A_budget_cannot_be_cut_below_what_is_committed_nor_its_committed_figure_written()
    {
        var tenant = await fixture.TenantAsync();
        var partner = await tenant.PartnerAsync("华东智联");
        var budget = await tenant.Admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027", amount = new { amount = 5000m } });
        var request = await tenant.Admin.CreateAsync("MdfRequest", new { budgetId = budget.Id(), activity = "行业峰会展位", amount = new { amount = 4000m } });
        var approval = (await tenant.Admin.MutateAsync(SubmitRequest, new { id = request.Id() }))["request"]!;
        await tenant.Admin.MutateAsync(ApproveRequest, new { id = approval.Id() });
        const string Update = "mutation($id: ID!, $i: UpdateMdfBudgetInput!) { updateMdfBudget(id: $id, input: $i) { mdfBudget { id } userErrors { field code message } } }";
        const string Create = "mutation($i: CreateMdfBudgetInput!) { createMdfBudget(input: $i) { mdfBudget { id } userErrors { field code message } } }";

        var refusals = new[]
        {
            (await tenant.Admin.RefusedAsync(Update, new { id = budget.Id(), i = new { amount = new { amount = 3999.99m } } }), "PARTNER_MDF_OVER_BUDGET", "amount"),
            (await tenant.Admin.RefusedAsync(Update, new { id = budget.Id(), i = new { committed = new { amount = 0m } } }), "COMPUTED_FIELD", "committed"),
            (await tenant.Admin.RefusedAsync(Create, new { i = new { partnerId = partner, period = "2027", amount = new { amount = 1m } } }), "INVALID_INPUT", "period"),
            (await tenant.Admin.RefusedAsync(Create, new { i = new { partnerId = partner, period = "next year", amount = new { amount = 1m } } }), "PATTERN_MISMATCH", "period"),
        };

        Assert.Equal(refusals.Select(r => (r.Item2, (string?)r.Item3)), refusals.Select(r => (r.Item1.Code, r.Item1.Field)));
        var read = (await tenant.Admin.QueryAsync(ReadBudget, new { id = budget.Id() }))["mdfBudget"]!;
        Assert.Equal((5000m, 4000m, 1000m), (read["amount"]!["amount"]!.GetValue<decimal>(), read["committed"]!["amount"]!.GetValue<decimal>(), read["remaining"]!["amount"]!.GetValue<decimal>()));
        Assert.Equal(1, await tenant.CountAsync("mdfBudgets"));
    }
}
