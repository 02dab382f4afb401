using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Rules;

/// <summary>The rule operations the functional tests send, as an integrator would.</summary>
public static class RuleQueries
{
    public const string Save = """
        mutation($input: SaveRuleInput!) {
          saveRule(input: $input) {
            rule { id name version enabled triggers nextRunAt }
            syntaxError { part line column message }
            userErrors { field code message }
          }
        }
        """;

    public const string Runs = """
        query($name: String) { ruleRuns(ruleName: $name, first: 100) { ruleName version trigger outcome errorCode error durationMs statements recordId log } }
        """;

    /// <summary>Saves a rule that must be accepted; returns its global id.</summary>
    public static async Task<string> SaveAsync(TenantClient client, object input)
    {
        var payload = await client.MutateAsync(Save, new { input });
        return payload["rule"]!["id"]!.GetValue<string>();
    }
}
