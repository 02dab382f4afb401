using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Duplicates;

/// <summary>The company entity the duplicate tests define, and the operations they send.</summary>
public static class DuplicateQueries
{
    public const string CreateRule = """
        mutation($input: CreateDuplicateRuleInput!) {
          createDuplicateRule(input: $input) { duplicateRule { id name keysReady conditions { field matcher } } userErrors { field code message } }
        }
        """;

    public const string CreateCompany = """
        mutation($input: CreateCompanyInput!, $allow: Boolean) {
          createCompany(input: $input, allowDuplicates: $allow) {
            company { id name }
            duplicates { ruleId rule action recordIds hiddenMatches }
            userErrors { field code message }
          }
        }
        """;

    public const string UpdateCompany = """
        mutation($id: ID!, $input: UpdateCompanyInput!, $allow: Boolean) {
          updateCompany(id: $id, input: $input, allowDuplicates: $allow) {
            company { id name }
            duplicates { rule action recordIds hiddenMatches }
            userErrors { field code message }
          }
        }
        """;

    /// <summary>company: name, email, phone, website, founded (a date).</summary>
    public static async Task DefineCompaniesAsync(TenantClient client) =>
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "company",
                labels = Labels("Company", "公司"),
                fields = new[] { Field("name", "TEXT", new { required = true }), Field("email", "EMAIL"), Field("phone", "PHONE"), Field("website", "URL"), Field("founded", "DATE") },
            },
        });

    /// <summary>Creates a rule that must be accepted and waits until every existing record has its key; returns its id.</summary>
    public static async Task<string> RuleAsync(TenantClient client, string name, string entity, string onCreate, string onUpdate, params (string Field, string Matcher)[] conditions)
    {
        var payload = await client.MutateAsync(CreateRule, new { input = new { name, entity, onCreate, onUpdate, conditions = conditions.Select(c => new { field = c.Field, matcher = c.Matcher }) } });
        var id = S(payload["duplicateRule"]!["id"]);
        var ready = await client.EventuallyAsync("query($id: ID!) { duplicateRule(id: $id) { keysReady } }", d => d["duplicateRule"]!["keysReady"]!.GetValue<bool>(), new { id });
        Assert.True(ready["duplicateRule"]!["keysReady"]!.GetValue<bool>());
        return id;
    }

    /// <summary>Creates a company that must be accepted; returns its id.</summary>
    public static async Task<string> CompanyAsync(TenantClient client, object input, bool allowDuplicates = false) =>
        S((await client.MutateAsync(CreateCompany, new { input, allow = allowDuplicates }))["company"]!["id"]);

    public static async Task<JsonNode> CreateAsync(TenantClient client, object input, bool allowDuplicates = false) =>
        (await client.QueryAsync(CreateCompany, new { input, allow = allowDuplicates }))["createCompany"]!;

    public static string S(JsonNode? node) => node!.GetValue<string>();

    public static List<string> Codes(JsonNode payload) => payload["userErrors"]!.AsArray().Select(e => S(e!["code"])).ToList();

    public static List<string> Ids(JsonNode? ids) => ids!.AsArray().Select(S).ToList();
}
