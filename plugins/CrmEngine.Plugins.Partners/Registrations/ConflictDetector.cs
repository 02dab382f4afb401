using CrmEngine.Plugins.Partners.Matching;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>A customer's match keys (<see cref="MatchKeys"/>); any of them may be missing.</summary>
internal sealed record CustomerKeys(string? Name, string? Domain, string? Phone)
{
    public static CustomerKeys Of(string? name, string? email, string? phone) => new(MatchKeys.Company(name), MatchKeys.EmailDomain(email), MatchKeys.Phone(phone));

    public static CustomerKeys Of(CrmRecord record) =>
        new(record.GetValue<string>("dealMatchName"), record.GetValue<string>("dealMatchDomain"), record.GetValue<string>("dealMatchPhone"));

    /// <summary>
    /// Records sharing any key and meeting <paramref name="also"/>; null when there is no key to match on.
    /// Each key is its own branch, repeating "not deleted" and <paramref name="also"/>: the key indexes
    /// are partial (live rows only), and SQLite uses an index for an OR branch only when that branch
    /// itself implies the index's condition. Otherwise it scans the table (every account, or every open
    /// lead by the status index), which at 100k rows is most of a registration's time.
    /// </summary>
    public Condition? Matching(bool byName = true, params Condition[] also)
    {
        var any = new List<Condition>(3);
        foreach (var (field, key) in (ReadOnlySpan<(string, string?)>)[("dealMatchName", byName ? Name : null), ("dealMatchDomain", Domain), ("dealMatchPhone", Phone)])
        {
            if (key is not null)
            {
                any.Add(Condition.All([Condition.Eq(field, key), Condition.IsNull("deletedAt"), .. also]));
            }
        }

        return any.Count == 0 ? null : Condition.Any([.. any]);
    }

    /// <summary>Why another record's keys match these: companyName, emailDomain, phone.</summary>
    public IReadOnlyList<string> Reasons(CustomerKeys other)
    {
        var reasons = new List<string>(3);
        if (Name is not null && Name == other.Name)
        {
            reasons.Add("companyName");
        }

        if (Domain is not null && Domain == other.Domain)
        {
            reasons.Add("emailDomain");
        }

        if (Phone is not null && Phone == other.Phone)
        {
            reasons.Add("phone");
        }

        return reasons;
    }
}

/// <summary>One record a registration collides with, and why.</summary>
internal sealed record Conflict(string Kind, CrmRecord Record, string? Name, IReadOnlyList<string> Reasons);

/// <summary>
/// Finds what a deal registration collides with: existing accounts (by their own keys or their
/// contacts' e-mail domains and phones), open leads, open opportunities of matching accounts, and
/// other partners' registrations still claiming their customer. Reads with full permissions: a
/// conflict exists whether or not the submitter may see it.
/// </summary>
internal static class ConflictDetector
{
    private const int Limit = 20;
    private static readonly IReadOnlyList<object?> OpenLeadStatuses = ["new", "contacted", "qualified"];
    private static readonly IReadOnlyList<object?> ClosedStatuses = ["won", "lost"];

    public static async Task<IReadOnlyList<Conflict>> FindAsync(IRecordApi records, CustomerKeys keys, Guid partnerId, CancellationToken cancellationToken)
    {
        if (keys.Matching() is not { } matching)
        {
            return [];
        }

        var found = await records.FindAsync("account", matching, Limit, cancellationToken);
        var accounts = found.ToDictionary(a => a.Id, a => keys.Reasons(CustomerKeys.Of(a)).ToList());
        var contacts = keys.Matching(byName: false, Condition.IsNotNull("account")) is { } reachable
            ? await records.FindAsync("contact", reachable, Limit, cancellationToken)
            : [];
        foreach (var contact in contacts)
        {
            // A customer's contact with the same company mailbox or phone makes the customer a match.
            var reasons = accounts.TryGetValue((Guid)contact.GetValue("account")!, out var known) ? known : accounts[(Guid)contact.GetValue("account")!] = [];
            reasons.AddRange(keys.Reasons(CustomerKeys.Of(contact)).Except(reasons));
        }

        // The accounts reached only through a contact, read together (one query, not one per account).
        var reached = accounts.Keys.Except(found.Select(a => a.Id)).Cast<object?>().ToList();
        var accountRecords = found.Concat(reached.Count == 0 ? [] : await records.FindAsync("account", Condition.In("id", reached), reached.Count, cancellationToken)).ToDictionary(a => a.Id);
        var conflicts = accounts.Keys.Where(accountRecords.ContainsKey).Select(id => accountRecords[id])
            .Select(account => new Conflict("account", account, account.GetValue<string>("name"), Ordered(accounts[account.Id]))).ToList();

        foreach (var lead in await records.FindAsync("lead", keys.Matching(true, Condition.In("status", OpenLeadStatuses))!, Limit, cancellationToken))
        {
            conflicts.Add(new("lead", lead, lead.GetValue<string>("company") ?? lead.GetValue<string>("name"), keys.Reasons(CustomerKeys.Of(lead))));
        }

        if (accountRecords.Count > 0)
        {
            // "Not won or lost" rather than "open": SQLite has no statistics, and given status = 'open' it
            // takes the (partial) status index and reads every open opportunity of the tenant to find
            // these accounts' (0.03 s at 30k open, growing with them); a negative condition can't use that
            // index, so it searches the account index, a few rows per account. The status is then
            // checked here, so a status other than the three is never taken for open.
            var ofAccounts = Condition.NotIn("status", ClosedStatuses).And(Condition.In("account", accountRecords.Keys.Cast<object?>()));
            foreach (var opportunity in (await records.FindAsync("opportunity", ofAccounts, Limit, cancellationToken)).Where(o => o.GetValue<string>("status") == "open"))
            {
                conflicts.Add(new("opportunity", opportunity, opportunity.GetValue<string>("name"), Ordered(accounts[(Guid)opportunity.GetValue("account")!])));
            }
        }

        var claims = keys.Matching(true, Condition.In("status", RegistrationEntities.Claiming), Condition.Ne("partner", partnerId))!;
        foreach (var other in await records.FindAsync(RegistrationEntities.Registration, claims, Limit, cancellationToken))
        {
            conflicts.Add(new("registration", other, other.GetValue<string>("customerName"), keys.Reasons(CustomerKeys.Of(other))));
        }

        return conflicts;
    }

    private static List<string> Ordered(IEnumerable<string> reasons) =>
        ((string[])["companyName", "emailDomain", "phone"]).Where(reasons.Contains).ToList();
}
