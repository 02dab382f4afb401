using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Sharing;

/// <summary>
/// The <see cref="Office"/> with a customer portal: contacts belong to the organization their
/// account lookup names; "partner" (role portal: its organization's records, margin hidden) works for
/// alice's account, "rival" for carol's; "erin" is an internal rep (own records) in no team.
/// Alice's contact points at carol's account, carol's contact at alice's: so partner's organization
/// holds alice's account and carol's contact, rival's carol's account and alice's contact.
/// </summary>
public static class Portal
{
    public const string Share = "mutation($id: ID!, $user: ID, $team: ID, $access: ShareAccess) { shareRecord(id: $id, userId: $user, teamId: $team, access: $access) { share { id access } userErrors { code message } } }";

    public static async Task<Office> OpenAsync(CrmHost host, bool inheritThroughAccount = false)
    {
        var office = await Office.OpenAsync(host);
        await office.AddUserAsync(host, "erin", "ownRep");
        await office.SaveRoleAsync(new
        {
            name = "portal",
            entities = new object[] { new { entity = "*", read = "ALL", create = "OWN", update = "ORGANIZATION", delete = "NONE" } },
            fields = new object[] { new { entity = "account", field = "margin", read = false, write = false } },
        });
        await office.Admin.MutateAsync("mutation { setOrganizationLookups(entity: \"contact\", fields: [\"account\"]) { fields userErrors { code message } } }");
        if (inheritThroughAccount)
        {
            await office.Admin.MutateAsync("mutation { setShareInheritance(entity: \"contact\", fields: [\"account\"]) { fields userErrors { code message } } }");
        }

        await AddExternalAsync(host, office, "partner", office.Accounts["alice"]);
        await AddExternalAsync(host, office, "rival", office.Accounts["carol"]);
        return office;
    }

    /// <summary>Adds an external user of <paramref name="organization"/> with the portal role and a key acting as them.</summary>
    public static async Task AddExternalAsync(CrmHost host, Office office, string name, string organization, params string[] keyRoles)
    {
        var created = await office.Admin.MutateAsync(
            "mutation($email: String!, $org: ID!) { createExternalUser(email: $email, displayName: $email, roles: [\"portal\"], organizationId: $org) { userId userErrors { code message } } }",
            new { email = name + "@customer.example", org = organization });
        office.UserIds[name] = created["userId"]!.GetValue<string>();
        await office.AddClientAsync(host, name, office.UserIds[name], keyRoles);
    }

    public static async Task<string> ShareAsync(TenantClient by, string id, string user, bool edit = false) =>
        (await by.MutateAsync(Share, new { id, user, access = edit ? "EDIT" : "READ" }))["share"]!["id"]!.GetValue<string>();

    public static async Task<List<string>> NamesAsync(TenantClient client, string list, string? filter = null)
    {
        var data = await client.QueryAsync($"{{ {list}{(filter is null ? string.Empty : $"(filter: {filter})")} {{ totalCount nodes {{ name }} }} }}");
        var names = data[list]!["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names.Count, data[list]!["totalCount"]!.GetValue<int>());
        return names;
    }

    public static JsonNode? UserError(JsonNode payload) => payload["userErrors"]!.AsArray().FirstOrDefault();
}
