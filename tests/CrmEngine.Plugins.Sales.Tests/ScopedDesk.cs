using System.Text.RegularExpressions;
using CrmEngine.Engine.Records;

namespace CrmEngine.Plugins.Sales.Tests;

/// <summary>
/// A sales desk for scope tests. 李娜 is a rep whose role reads only her own records (OWN) or her
/// team's (TEAM); 王经理 manages her team (华东) with the same role. 赵磊, a rep of another team
/// (华北) with the built-in user role, holds a whole deal that 李娜 and 王经理 can't see: an account,
/// a qualified lead, an opportunity, an accepted quote and its order, a draft quote, a cancelled
/// order and a contract pending approval. Leads are not assigned automatically.
/// </summary>
public sealed class ScopedDesk
{
    private ScopedDesk(SalesTenant tenant) => Tenant = tenant;

    public SalesTenant Tenant { get; }

    public GraphQLClient Admin => Tenant.Admin;

    public string Li { get; private set; } = string.Empty;

    public GraphQLClient LiClient { get; private set; } = null!;

    public string Wang { get; private set; } = string.Empty;

    public GraphQLClient WangClient { get; private set; } = null!;

    public string Zhao { get; private set; } = string.Empty;

    /// <summary>赵磊's records, by what they are: account, lead, opportunity, quote (accepted), draftQuote, order, cancelledOrder, contract.</summary>
    public Dictionary<string, string> Hidden { get; } = new(StringComparer.Ordinal);

    public static async Task<ScopedDesk> OpenAsync(SalesHost fixture, string readScope)
    {
        var desk = new ScopedDesk(await fixture.TenantAsync());
        await desk.SetUpAsync(readScope);
        return desk;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> as <paramref name="caller"/> once naming a hidden record and once a
    /// made-up id of the same entity, and asserts the two answers are the same bytes once the id is
    /// taken out of them (it may appear in a message).
    /// </summary>
    public static async Task AnswersAsMadeUpAsync(GraphQLClient caller, string operation, string entity, string hiddenId, Func<string, object> variables)
    {
        var madeUpId = GlobalId.Encode(entity, Guid.CreateVersion7());
        var madeUp = await caller.PostAsync(operation, variables(madeUpId));
        var hidden = await caller.PostAsync(operation, variables(hiddenId));
        Assert.Matches("\"code\":\"(LOOKUP_)?NOT_FOUND\"", madeUp.Raw);
        Assert.Equal(WithoutId(madeUp.Raw, madeUpId), WithoutId(hidden.Raw, hiddenId));
    }

    /// <summary>The versions of 赵磊's records, to show nothing was written to them.</summary>
    public async Task<string> HiddenVersionsAsync()
    {
        static string EntityOf(string key) => key switch { "draftQuote" => "quote", "cancelledOrder" => "order", _ => key };
        var query = string.Join(' ', Hidden.Select(h => $"{h.Key}: {EntityOf(h.Key)}(id: \"{h.Value}\") {{ version }}"));
        return (await Admin.QueryAsync($"{{ {query} }}")).ToJsonString();
    }

    /// <summary>The answer without the id it was asked about, and without its correlation id (each request has its own, whatever it names).</summary>
    private static string WithoutId(string raw, string globalId)
    {
        Assert.True(GlobalId.TryDecode(globalId, out _, out var id));
        var withoutCorrelation = Regex.Replace(raw, "\"correlationId\":\"[^\"]*\"", "\"correlationId\":\"<request>\"");
        return Regex.Replace(withoutCorrelation, $"{Regex.Escape(globalId)}|{id}|{id:N}", "<id>", RegexOptions.IgnoreCase);
    }

    private async Task SetUpAsync(string readScope)
    {
        await Tenant.SettingsAsync(new { leadAssignment = "off" });
        await Tenant.RoleAsync("scopedRep", readScope);
        (Li, LiClient) = await Tenant.UserWithOnlyAsync("li@example.cn", "李娜", rep: true, "scopedRep");
        (Wang, WangClient) = await Tenant.UserWithOnlyAsync("wang@example.cn", "王经理", rep: false, "scopedRep");
        (Zhao, _) = await Tenant.UserAsync("zhao@example.cn", "赵磊");
        await Tenant.TeamAsync("华东销售部", Wang, Li);
        await Tenant.TeamAsync("华北销售部", Zhao, Zhao);

        var account = await Admin.CreateAsync("Account", new { name = "深圳市星辰科技有限公司", ownerId = Zhao });
        Hidden["account"] = account.Id();
        Hidden["lead"] = (await Admin.CreateAsync("Lead", new { name = "周明", company = "深圳市星辰科技有限公司", email = "zhou.ming@xingchen.cn", status = "qualified", ownerId = Zhao })).Id();
        var opportunity = await Admin.CreateAsync("Opportunity", new { name = "星辰科技 CRM 项目", accountId = account.Id(), amount = new { amount = 80000m }, ownerId = Zhao });
        Hidden["opportunity"] = opportunity.Id();
        var product = await Admin.CreateAsync("Product", new { name = "销售云 CRM 专业版", listPrice = new { amount = 10000m }, taxRate = 13m });
        var quote = await Admin.CreateAsync("Quote", new { name = "星辰科技 CRM 报价", accountId = account.Id(), opportunityId = opportunity.Id(), validUntil = "2099-12-31", ownerId = Zhao });
        await Admin.CreateAsync("QuoteLine", new { quoteId = quote.Id(), productId = product.Id(), quantity = 2m });
        Hidden["quote"] = quote.Id();
        Hidden["draftQuote"] = (await Admin.CreateAsync("Quote", new { name = "星辰科技 增购报价", accountId = account.Id(), ownerId = Zhao })).Id();
        Hidden["contract"] = (await Admin.RunAsync($"mutation {{ draftContract(quoteId: \"{quote.Id()}\") {{ result {{ id }} userErrors {{ field code message }} }} }}")).Id();
        await Admin.RunAsync($"mutation {{ submitContract(id: \"{Hidden["contract"]}\") {{ result {{ id }} userErrors {{ field code message }} }} }}");
        Hidden["order"] = (await Admin.RunAsync($"mutation {{ acceptQuote(id: \"{quote.Id()}\") {{ result {{ order {{ id }} }} userErrors {{ field code message }} }} }}"))["order"]!.Id();
        Hidden["cancelledOrder"] = (await Admin.CreateAsync("Order", new { accountId = account.Id(), status = "cancelled", ownerId = Zhao })).Id();
    }
}
