namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>
/// The partner portal: partner staff are the engine's external users of their partner record, and
/// see and work only their partner's registrations, partner-sourced opportunities and accounts and
/// funds, on every read path, while another partner's records and internal data stay out of reach.
/// </summary>
[Collection(PartnersHostGroup.Name)]
public sealed class PortalTests(PartnersHost fixture)
{
    private sealed record World(PartnersTenant Tenant, GraphQLClient East, GraphQLClient South, string EastId, string SouthId, string SouthRegistration, string SouthOpportunity, string SouthRequest, string SouthBudget, string InternalAccount);

    /// <summary>
    /// Two partners, each with a converted registration (so an opportunity and an account it sourced),
    /// a budget and an MDF request; an internal account no partner brought; one staff member each.
    /// </summary>
    private async Task<World> WorldAsync()
    {
        var tenant = await fixture.TenantAsync();
        await tenant.PortalAsync();
        var east = await tenant.PartnerAsync("华东智联信息技术有限公司");
        var south = await tenant.PartnerAsync("南方渠道科技");
        var internalAccount = (await tenant.Admin.CreateAsync("Account", new { name = "深圳市腾达科技有限公司", email = "info@tengda.com.cn" })).Id();
        await ConvertedAsync(tenant, east, "北京云帆网络科技有限公司");
        var (southRegistration, southOpportunity) = await ConvertedAsync(tenant, south, "上海星辰科技有限公司");
        await FundsAsync(tenant, east, "华东区渠道推介会");
        var (southBudget, southRequest) = await FundsAsync(tenant, south, "华南区行业峰会");
        return new(tenant, await tenant.PartnerStaffAsync("liu@zhilian.com.cn", east), await tenant.PartnerStaffAsync("chen@nanfang.com", south),
            east, south, southRegistration, southOpportunity, southRequest, southBudget, internalAccount);
    }

    private static async Task<(string Registration, string Opportunity)> ConvertedAsync(PartnersTenant tenant, string partner, string customer)
    {
        var registration = (await tenant.Admin.RunAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(partner, customer))).Id();
        await tenant.Admin.RunAsync(DealRegistrationTests.Approve, new { id = registration, c = (string?)null });
        var converted = await tenant.Admin.RunAsync("mutation($id: ID!) { convertDealRegistration(id: $id) { result { opportunity { id } } userErrors { field code message } } }", new { id = registration });
        return (registration, converted["opportunity"]!.Id());
    }

    private static async Task<(string Budget, string Request)> FundsAsync(PartnersTenant tenant, string partner, string activity)
    {
        var budget = (await tenant.Admin.CreateAsync("MdfBudget", new { partnerId = partner, period = "2027-H1", amount = new { amount = 50000 } })).Id();
        var request = (await tenant.Admin.CreateAsync("MdfRequest", new { budgetId = budget, activity, amount = new { amount = 18000 } })).Id();
        return (budget, request);
    }

    private static async Task<List<string>> ListAsync(GraphQLClient client, string plural, string field)
    {
        var data = (await client.QueryAsync($"{{ {plural} {{ totalCount nodes {{ {field} }} }} }}"))[plural]!;
        var values = data["nodes"]!.AsArray().Select(n => n![field]!.Str()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(values.Count, data["totalCount"]!.GetValue<int>());
        return values;
    }

    [Fact]
    public async Task Partner_staff_list_only_their_partners_records()
    {
        var world = await WorldAsync();

        Assert.Equal(["华东智联信息技术有限公司"], await ListAsync(world.East, "partners", "name"));
        Assert.Equal(["北京云帆网络科技有限公司"], await ListAsync(world.East, "dealRegistrations", "customerName"));
        Assert.Equal(["北京云帆网络科技有限公司"], await ListAsync(world.East, "accounts", "name"));
        Assert.Equal(["华东区渠道推介会"], await ListAsync(world.East, "mdfRequests", "activity"));
        Assert.Equal(["2027-H1"], await ListAsync(world.East, "mdfBudgets", "period"));
        var opportunities = (await world.East.QueryAsync("{ opportunities { totalCount nodes { partner { name } partnerRole } } }"))["opportunities"]!;
        Assert.Equal(1, opportunities["totalCount"]!.GetValue<int>());
        Assert.Equal("华东智联信息技术有限公司", opportunities["nodes"]![0]!["partner"]!["name"]!.Str());

        Assert.Equal(["上海星辰科技有限公司"], await ListAsync(world.South, "dealRegistrations", "customerName"));
        Assert.Equal(["华南区行业峰会"], await ListAsync(world.South, "mdfRequests", "activity"));
        Assert.Equal(3, await world.Tenant.CountAsync("accounts"));
    }

    [Fact]
    public async Task Another_partners_records_do_not_count_in_aggregates_or_searches()
    {
        var world = await WorldAsync();

        var totals = await world.East.QueryAsync("{ dealRegistrationsAggregate { count sum { amount } } mdfRequestsAggregate { count sum { amount } } opportunitiesAggregate { count } accountsAggregate { count } }");
        Assert.Equal(1, totals["dealRegistrationsAggregate"]!["count"]!.GetValue<int>());
        Assert.Equal(200000m, totals["dealRegistrationsAggregate"]!["sum"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(18000m, totals["mdfRequestsAggregate"]!["sum"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(1, totals["opportunitiesAggregate"]!["count"]!.GetValue<int>());
        Assert.Equal(1, totals["accountsAggregate"]!["count"]!.GetValue<int>());

        const string Search = "{ search(text: \"星辰\") { entity } tengda: search(text: \"腾达\") { entity } }";
        var internalView = await world.Tenant.Admin.QueryAsync(Search);
        Assert.NotEmpty(internalView["search"]!.AsArray());
        Assert.NotEmpty(internalView["tengda"]!.AsArray());
        var portalView = await world.East.QueryAsync(Search);
        Assert.Empty(portalView["search"]!.AsArray());
        Assert.Empty(portalView["tengda"]!.AsArray());
    }

    [Fact]
    public async Task Another_partners_ids_answer_as_made_up_ids()
    {
        var world = await WorldAsync();

        var reads = await world.East.QueryAsync(
            "query($r: ID!, $o: ID!, $m: ID!, $b: ID!, $a: ID!, $p: ID!) { node(id: $r) { id } dealRegistration(id: $r) { id } opportunity(id: $o) { id } mdfRequest(id: $m) { id } mdfBudget(id: $b) { id } account(id: $a) { id } partner(id: $p) { id } }",
            new { r = world.SouthRegistration, o = world.SouthOpportunity, m = world.SouthRequest, b = world.SouthBudget, a = world.InternalAccount, p = world.SouthId });
        foreach (var field in (string[])["node", "dealRegistration", "opportunity", "mdfRequest", "mdfBudget", "account", "partner"])
        {
            Assert.Null(reads[field]);
        }

        var mine = await world.East.QueryAsync("query($p: ID!) { partner(id: $p) { registrations { totalCount } opportunities { totalCount } mdfRequests { totalCount } } }", new { p = world.EastId });
        Assert.Equal(1, mine["partner"]!["registrations"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(1, mine["partner"]!["opportunities"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(1, mine["partner"]!["mdfRequests"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Partner_staff_submit_registrations_only_for_their_own_partner_and_see_no_names_in_conflicts()
    {
        var world = await WorldAsync();

        var refused = await world.East.RefusedAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(world.SouthId, "宁波远航物流有限公司"));
        Assert.Equal(("NOT_FOUND", "partnerId"), (refused.Code, refused.Field));
        Assert.Equal(2, await world.Tenant.CountAsync("dealRegistrations"));

        // The claim matches the internal account 腾达 by name and domain, and the other partner's 星辰 registration is not involved.
        var registration = await world.East.RunAsync(DealRegistrationTests.Submit, DealRegistrationTests.Claim(world.EastId, "腾达科技（深圳）股份有限公司", "wang.lei@tengda.com.cn"));
        Assert.Equal(1, registration["conflictCount"]!.GetValue<int>());
        var conflict = registration["conflicts"]!["nodes"]![0]!;
        Assert.Equal("account", conflict["kind"]!.Str());
        Assert.Null(conflict["matchedName"]);
        Assert.Null(conflict["account"]);

        var internalView = await world.Tenant.Admin.QueryAsync("query($id: ID!) { dealRegistration(id: $id) { conflicts { nodes { matchedName account { id } } } } }", new { id = registration.Id() });
        var seen = internalView["dealRegistration"]!["conflicts"]!["nodes"]![0]!;
        Assert.Equal("深圳市腾达科技有限公司", seen["matchedName"]!.Str());
        Assert.Equal(world.InternalAccount, seen["account"]!.Id());

        Assert.Equal(["北京云帆网络科技有限公司", "腾达科技（深圳）股份有限公司"], await ListAsync(world.East, "dealRegistrations", "customerName"));
        Assert.Equal(["上海星辰科技有限公司"], await ListAsync(world.South, "dealRegistrations", "customerName"));
    }

    [Fact]
    public async Task Partner_staff_request_funds_only_from_their_own_budget()
    {
        var world = await WorldAsync();

        var refused = await world.East.RefusedAsync(
            "mutation($i: CreateMdfRequestInput!) { createMdfRequest(input: $i) { mdfRequest { id } userErrors { field code message } } }",
            new { i = new { budgetId = world.SouthBudget, activity = "借用预算", amount = new { amount = 1000 } } });
        Assert.Equal("LOOKUP_NOT_FOUND", refused.Code);
        Assert.Equal(2, await world.Tenant.CountAsync("mdfRequests"));

        var budget = (await world.East.QueryAsync("{ mdfBudgets { nodes { id } } }"))["mdfBudgets"]!["nodes"]![0]!.Id();
        var request = await world.East.CreateAsync("MdfRequest", new { budgetId = budget, activity = "华东区客户沙龙", amount = new { amount = 5000 } }, "id partner { name }");
        Assert.Equal("华东智联信息技术有限公司", request["partner"]!["name"]!.Str());
        Assert.Equal(["华东区客户沙龙", "华东区渠道推介会"], await ListAsync(world.East, "mdfRequests", "activity"));
        Assert.Equal(["华南区行业峰会"], await ListAsync(world.South, "mdfRequests", "activity"));
    }

    [Fact]
    public async Task Partner_staff_are_never_admins()
    {
        var world = await WorldAsync();

        var refused = await world.East.RefusedAsync("mutation { createPartner(input: {name: \"冒名伙伴\", type: \"reseller\"}) { partner { id } userErrors { field code message } } }");
        Assert.Equal("FORBIDDEN", refused.Code);
        Assert.Equal(2, await world.Tenant.CountAsync("partners"));
    }

    [Fact]
    public async Task A_requests_partner_is_kept_by_the_module()
    {
        var world = await WorldAsync();

        var refused = await world.Tenant.Admin.RefusedAsync(
            "mutation($i: CreateMdfRequestInput!) { createMdfRequest(input: $i) { mdfRequest { id } userErrors { field code message } } }",
            new { i = new { budgetId = world.SouthBudget, partnerId = world.EastId, activity = "错配伙伴", amount = new { amount = 1000 } } });
        Assert.Equal(("COMPUTED_FIELD", "partner"), (refused.Code, refused.Field));
        Assert.Equal(2, await world.Tenant.CountAsync("mdfRequests"));
    }
}
