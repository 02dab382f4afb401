using CrmEngine.Plugins.Partners.Matching;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>A customer's match keys (<see cref="MatchKeys"/>); any of them may be missing.</summary>
internal sealed record CustomerKeys(string? Name, string? Domain, string? Phone)
{
    public static CustomerKeys Of(string? name, string? email, string? phone) => new(MatchKeys.Company(name), MatchKeys.EmailDomain(email), MatchKeys.Phone(phone));

    public static CustomerKeys Of(CrmRecord record) =>
        new(record.GetValue<string>("dealMatchName"), record.GetValue<string>("dealMatchDomain"), record.GetValue<string>("dealMatchPhone"));

    /// <summary>Records sharing any key (each an indexed equality); null when there is no key to match on.</summary>
    public Condition? Matching(bool byName = true)
    {
        var any = new List<Condition>();
        if (byName && Name is not null)
        {
            any.Add(Condition.Eq("dealMatchName", Name));
        }

        if (Domain is not null)
        {
            any.Add(Condition.Eq("dealMatchDomain", Domain));
        }

        if (Phone is not null)
        {
            any.Add(Condition.Eq("dealMatchPhone", Phone));
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

    public static async Task<IReadOnlyList<Conflict>> FindAsync(IRecordApi records, CustomerKeys keys, Guid partnerId, Guid? self, CancellationToken cancellationToken)
    {
        if (keys.Matching() is not { } matching)
        {
            return [];
        }

        var conflicts = new List<Conflict>();
        var accounts = (await records.FindAsync("account", matching, Limit, cancellationToken)).ToDictionary(a => a.Id, a => keys.Reasons(CustomerKeys.Of(a)).ToList());
        if (keys.Matching(byName: false) is { } reachable)
        {
            // A customer's contact with the same company mailbox or phone makes the customer a match.
            foreach (var contact in await records.FindAsync("contact", reachable.And(Condition.IsNotNull("account")), Limit, cancellationToken))
            {
                var reasons = accounts.TryGetValue((Guid)contact.GetValue("account")!, out var known) ? known : accounts[(Guid)contact.GetValue("account")!] = [];
                reasons.AddRange(keys.Reasons(CustomerKeys.Of(contact)).Except(reasons));
            }
        }

        var accountRecords = new Dictionary<Guid, CrmRecord>();
        foreach (var (id, reasons) in accounts)
        {
            if (await records.GetAsync("account", id, cancellationToken) is { } account)
            {
                accountRecords[id] = account;
                conflicts.Add(new("account", account, account.GetValue<string>("name"), Ordered(reasons)));
            }
        }

        foreach (var lead in await records.FindAsync("lead", matching.And(Condition.In("status", OpenLeadStatuses)), Limit, cancellationToken))
        {
            conflicts.Add(new("lead", lead, lead.GetValue<string>("company") ?? lead.GetValue<string>("name"), keys.Reasons(CustomerKeys.Of(lead))));
        }

        if (accountRecords.Count > 0)
        {
            var open = Condition.Eq("status", "open").And(Condition.In("account", accountRecords.Keys.Cast<object?>()));
            foreach (var opportunity in await records.FindAsync("opportunity", open, Limit, cancellationToken))
            {
                conflicts.Add(new("opportunity", opportunity, opportunity.GetValue<string>("name"), Ordered(accounts[(Guid)opportunity.GetValue("account")!])));
            }
        }

        var claims = matching.And(Condition.In("status", RegistrationEntities.Claiming)).And(Condition.Ne("partner", partnerId));
        foreach (var other in await records.FindAsync(RegistrationEntities.Registration, self is { } id2 ? claims.And(Condition.Ne("id", id2)) : claims, Limit, cancellationToken))
        {
            conflicts.Add(new("registration", other, other.GetValue<string>("customerName"), keys.Reasons(CustomerKeys.Of(other))));
        }

        return conflicts;
    }

    private static List<string> Ordered(IEnumerable<string> reasons) =>
        ((string[])["companyName", "emailDomain", "phone"]).Where(reasons.Contains).ToList();
}
