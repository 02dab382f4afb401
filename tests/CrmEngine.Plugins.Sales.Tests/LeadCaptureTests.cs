namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// Captures from web forms and integrations: one person is one lead, another person at the same
/// company is a lead of their own linked to it, and nothing a capture submits is ever lost.
/// </summary>
[Collection(SalesHostGroup.Name)]
public sealed class LeadCaptureTests(SalesHost fixture)
{
    private const string Capture = """
        mutation($i: CaptureLeadInput!) { captureLead(input: $i) { result { outcome matchedOn
          lead { id name email phoneKey title city ownerId duplicateCount }
          duplicateOf { id } relatedLead { id } account { id }
          capture { outcome notMerged name email phone title city source } } userErrors { field code message } } }
        """;

    private static readonly object ChenJing = new { name = "陈静", company = "上海星辰科技有限公司", email = "chen.jing@xingchen.cn", phone = "+86 138-0013-8000", title = "IT 总监", source = "webForm" };

    [Fact]
    public async Task A_colleague_at_the_same_company_becomes_a_lead_of_their_own_linked_to_the_first()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        await tenant.UserAsync("li@example.cn", "李娜");
        await tenant.UserAsync("zhao@example.cn", "赵磊");
        var first = (await admin.RunAsync(Capture, new { i = ChenJing }))["lead"]!;

        // Default settings (merge): the company alone matches, so 王磊 is another person, not 陈静 again.
        var colleague = await admin.RunAsync(Capture, new { i = new { name = "王磊", company = "上海星辰科技", email = "wang.lei@xingchen.cn", phone = "139 0013 9000", source = "event" } });
        Assert.Equal(("LINKED", "company"), (colleague["outcome"].Str(), string.Join(',', colleague["matchedOn"]!.AsArray().Select(m => m.Str()))));
        var lead = colleague["lead"]!;
        Assert.NotEqual(first.Id(), lead.Id());
        Assert.Equal(("王磊", "wang.lei@xingchen.cn", "13900139000", first["ownerId"].Str()), (lead["name"].Str(), lead["email"].Str(), lead["phoneKey"].Str(), lead["ownerId"].Str()));
        Assert.Equal(first.Id(), colleague["relatedLead"]!.Id());
        Assert.Null(colleague["duplicateOf"]);

        // 陈静's lead is as she left it, and lists her colleague.
        var original = (await admin.QueryAsync($"{{ lead(id: \"{first.Id()}\") {{ name email phoneKey duplicateCount relatedLeads {{ nodes {{ name }} }} }} }}"))["lead"]!;
        Assert.Equal(("陈静", "chen.jing@xingchen.cn", "13800138000", 0), (original["name"].Str(), original["email"].Str(), original["phoneKey"].Str(), original["duplicateCount"]!.GetValue<int>()));
        Assert.Equal(["王磊"], original["relatedLeads"]!["nodes"]!.AsArray().Select(n => n!["name"].Str()));

        // Linking instead of merging: the same person is a duplicate, a colleague is related.
        await tenant.SettingsAsync(new { duplicateAction = "link" });
        var again = await admin.RunAsync(Capture, new { i = new { name = "陈静", email = "CHEN.JING@xingchen.cn", source = "referral" } });
        Assert.Equal(("LINKED", first.Id()), (again["outcome"].Str(), again["duplicateOf"]!.Id()));
        Assert.Null(again["relatedLead"]);
        var another = await admin.RunAsync(Capture, new { i = new { name = "赵敏", company = "上海星辰科技股份有限公司", email = "zhao.min@xingchen.cn", source = "social" } });
        Assert.Equal(("LINKED", first.Id()), (another["outcome"].Str(), another["relatedLead"]!.Id()));
        Assert.Null(another["duplicateOf"]);
        Assert.Equal(4, await tenant.CountAsync("leads"));
    }

    [Fact]
    public async Task The_same_person_again_is_merged_and_whatever_they_submitted_differently_is_kept()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (li, liClient) = await tenant.UserAsync("li@example.cn", "李娜");
        var first = (await admin.RunAsync(Capture, new { i = ChenJing }))["lead"]!;
        Assert.Equal(li, first["ownerId"].Str());

        var again = await admin.RunAsync(Capture, new { i = new { name = "陈静 (Jing Chen)", company = "上海星辰科技", email = "Chen.Jing@xingchen.cn", phone = "13700137000", title = "CIO", city = "上海", source = "event" } });
        Assert.Equal("MERGED", again["outcome"].Str());
        Assert.Equal(["email", "company"], again["matchedOn"]!.AsArray().Select(m => m.Str()));

        // The lead keeps what the rep knew and gains what it lacked (the city).
        var lead = again["lead"]!;
        Assert.Equal((first.Id(), "陈静", "IT 总监", "13800138000", "上海", 1), (lead.Id(), lead["name"].Str(), lead["title"].Str(), lead["phoneKey"].Str(), lead["city"].Str(), lead["duplicateCount"]!.GetValue<int>()));

        // What differed is kept on the capture as submitted, and named.
        var capture = again["capture"]!;
        Assert.Equal(("merged", "name, title, phone, source"), (capture["outcome"].Str(), capture["notMerged"].Str()));
        Assert.Equal(("陈静 (Jing Chen)", "13700137000", "CIO", "event"), (capture["name"].Str(), capture["phone"].Str(), capture["title"].Str(), capture["source"].Str()));
        var captures = (await admin.QueryAsync($"{{ lead(id: \"{first.Id()}\") {{ captures(orderBy: [{{capturedAt: ASC}}]) {{ nodes {{ outcome source notMerged ownerId }} }} }} }}"))["lead"]!["captures"]!["nodes"]!.AsArray();
        Assert.Equal([("created", "webForm", null, li), ("merged", "event", "name, title, phone, source", li)], captures.Select(c => (c!["outcome"].Str(), c["source"].Str(), c["notMerged"]?.GetValue<string>(), c["ownerId"].Str())));

        // The rep is told, and can read the capture.
        var notes = (await liClient.QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray().Select(n => n!["message"].Str());
        Assert.Contains(notes, n => n.Contains("已合并", StringComparison.Ordinal) && n.Contains("phone", StringComparison.Ordinal));
        Assert.Equal(2, (await liClient.QueryAsync("{ leadCaptures { totalCount } }"))["leadCaptures"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_merge_never_overwrites_a_field_the_callers_role_hides()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        var (li, _) = await tenant.UserAsync("li@example.cn", "李娜");
        await admin.MutateAsync("mutation { saveRole(input: { name: \"webForm\", entities: [{ entity: \"*\", read: ALL, create: OWN }], fields: [{ entity: \"lead\", field: \"phone\", read: false, write: false }] }) { role { name } userErrors { code message } } }");
        var (_, form) = await tenant.UserWithOnlyAsync("form@example.cn", "官网表单", rep: false, "webForm");
        var lead = (await admin.CreateAsync("Lead", new { name = "陈静", email = "chen.jing@xingchen.cn", phone = "13800138000", ownerId = li })).Id();

        var again = await form.RunAsync(Capture, new { i = new { name = "陈静", email = "chen.jing@xingchen.cn", phone = "13700137000", source = "webForm" } });
        Assert.Equal(("MERGED", lead), (again["outcome"].Str(), again["lead"]!.Id()));
        Assert.Equal("13800138000", (await admin.QueryAsync($"{{ lead(id: \"{lead}\") {{ phone }} }}"))["lead"]!["phone"].Str());
        var capture = (await admin.QueryAsync($"{{ lead(id: \"{lead}\") {{ captures {{ nodes {{ phone notMerged }} }} }} }}"))["lead"]!["captures"]!["nodes"]![0]!;
        Assert.Equal(("13700137000", "phone"), (capture["phone"].Str(), capture["notMerged"].Str()));
    }

    [Fact]
    public async Task A_new_person_at_a_customer_becomes_that_accounts_lead_and_a_known_contact_is_logged_on_it()
    {
        var tenant = await fixture.TenantAsync();
        var admin = tenant.Admin;
        await tenant.UserAsync("li@example.cn", "李娜");
        var (zhao, _) = await tenant.UserAsync("zhao@example.cn", "赵磊");
        var account = (await admin.CreateAsync("Account", new { name = "北京远航物流有限公司", ownerId = zhao })).Id();
        await admin.CreateAsync("Contact", new { name = "周洋", email = "zhou@yuanhang.com", accountId = account, ownerId = zhao });

        var newcomer = await admin.RunAsync(Capture, new { i = new { name = "孙丽", company = "北京远航物流", email = "sun.li@yuanhang.com", source = "webForm" } });
        Assert.Equal(("LINKED", account, zhao, "孙丽"), (newcomer["outcome"].Str(), newcomer["account"]!.Id(), newcomer["lead"]!["ownerId"].Str(), newcomer["lead"]!["name"].Str()));

        var known = await admin.RunAsync(Capture, new { i = new { name = "周洋", company = "北京远航物流", email = "zhou@yuanhang.com", phone = "13500135000", source = "event" } });
        Assert.Equal(("MERGED", account), (known["outcome"].Str(), known["account"]!.Id()));
        Assert.Null(known["lead"]);
        Assert.Equal(("merged", "13500135000"), (known["capture"]!["outcome"].Str(), known["capture"]!["phone"].Str()));
        Assert.Equal(1, await tenant.CountAsync("leads"));
        var timeline = (await admin.QueryAsync($"{{ account(id: \"{account}\") {{ activities {{ nodes {{ subject }} }} leadCaptures {{ totalCount }} }} }}"))["account"]!;
        Assert.Contains("周洋", Assert.Single(timeline["activities"]!["nodes"]!.AsArray())!["subject"].Str(), StringComparison.Ordinal);
        Assert.Equal(2, timeline["leadCaptures"]!["totalCount"]!.GetValue<int>());
    }
}
