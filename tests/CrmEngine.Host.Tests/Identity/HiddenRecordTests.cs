using CrmEngine.Host.Tests.Rules;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Identity;

/// <summary>
/// A record the caller may not read answers every write exactly as an id that never existed: the
/// same response to the byte (only the id itself told apart) and the same database work, whatever
/// the record's version or deleted state, for own and team callers alike.
/// </summary>
public sealed class HiddenRecordTests(CountingHostFixture fixture) : IClassFixture<CountingHostFixture>
{
    private const string Payload = "{ account { id name version } userErrors { field code message } }";
    private const string DeletePayload = "{ account { id version } deletedId userErrors { field code message } }";

    /// <summary>Every record write, with and without the version the caller thinks it read.</summary>
    private static readonly string[] Writes =
    [
        $"updateAccount(id: $id, input: {{ name: \"taken\" }}) {Payload}",
        $"updateAccount(id: $id, version: 1, input: {{ name: \"taken\" }}) {Payload}",
        $"updateAccount(id: $id, version: 2, input: {{ name: \"taken\" }}) {Payload}",
        $"updateAccount(id: $id, input: {{ ownerId: $me }}) {Payload}",
        $"deleteAccount(id: $id) {DeletePayload}",
        $"deleteAccount(id: $id, version: 1) {DeletePayload}",
        $"deleteAccount(id: $id, version: 2) {DeletePayload}",
        $"restoreAccount(id: $id) {Payload}",
        $"restoreAccount(id: $id, version: 1) {Payload}",
        $"restoreAccount(id: $id, version: 2) {Payload}",
    ];

    public static TheoryData<string> Callers => new() { "alice", "bob" };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Writing_someone_elses_record_answers_exactly_as_a_made_up_id(string caller)
    {
        using var office = await Office.OpenAsync(fixture.Host);

        // Carol's account is outside alice's own scope and bob's team scope.
        foreach (var write in Writes)
        {
            await AssertAnsweredAsMadeUpAsync(office, caller, write, office.Accounts["carol"]);
        }

        await AssertUntouchedAsync(office, office.Accounts["carol"], version: 1, deleted: false);
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Writing_someone_elses_deleted_record_answers_exactly_as_a_made_up_id(string caller)
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var carols = office.Accounts["carol"];
        await office.Admin.MutateAsync("mutation($id: ID!) { deleteAccount(id: $id) { deletedId userErrors { code message } } }", new { id = carols });

        foreach (var write in Writes)
        {
            await AssertAnsweredAsMadeUpAsync(office, caller, write, carols);
        }

        await AssertUntouchedAsync(office, carols, version: 2, deleted: true);
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_lookup_to_someone_elses_record_is_refused_before_rules_can_read_it(string caller)
    {
        using var office = await Office.OpenAsync(fixture.Host);
        // A before-rule reads the account a contact points at (as rules do, with the tenant's system
        // identity): it must never get to read one the caller can't see and answer from it.
        await RuleQueries.SaveAsync(office.Admin, new
        {
            name = "accountOnHold",
            entity = "contact",
            triggers = new[] { "BEFORE_CREATE", "BEFORE_UPDATE" },
            script = "if (record.account) { const a = crm.get('account', record.account); if (a) crm.reject('Account ' + a.name + ' is on hold.', 'accountId'); }",
        });
        var own = office.Contacts.GetValueOrDefault(caller) ?? (await office.As[caller].MutateAsync("mutation { createContact(input: { name: \"mine\" }) { contact { id } userErrors { code message } } }"))["contact"]!["id"]!.GetValue<string>();

        await AssertAnsweredAsMadeUpAsync(office, caller, "createContact(input: { name: \"probe\", accountId: $id }) { contact { id } userErrors { field code message } }", office.Accounts["carol"]);
        await AssertAnsweredAsMadeUpAsync(office, caller, $"updateContact(id: \"{own}\", input: {{ accountId: $id }}) {{ contact {{ id }} userErrors {{ field code message }} }}", office.Accounts["carol"]);
    }

    /// <summary><paramref name="write"/> as <paramref name="caller"/>, on the hidden id and on a made-up one.</summary>
    private Task AssertAnsweredAsMadeUpAsync(Office office, string caller, string write, string hidden)
    {
        var usesMe = write.Contains("$me", StringComparison.Ordinal);
        var query = usesMe ? $"mutation($id: ID!, $me: ID) {{ result: {write} }}" : $"mutation($id: ID!) {{ result: {write} }}";
        return MadeUpIdComparison.AssertAnsweredAsMadeUpAsync(office.As[caller], query, hidden, usesMe ? office.UserIds[caller] : null, fixture.Commands);
    }

    private static async Task AssertUntouchedAsync(Office office, string id, int version, bool deleted)
    {
        var record = (await office.Admin.QueryAsync("query($id: ID!) { account(id: $id, deleted: true) { name version deletedAt } }", new { id }))["account"]!;
        Assert.Equal(("Acme West Carol", version, deleted), (record["name"]!.GetValue<string>(), record["version"]!.GetValue<int>(), record["deletedAt"] is not null));
    }
}
