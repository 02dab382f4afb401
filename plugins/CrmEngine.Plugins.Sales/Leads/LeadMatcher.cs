using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// What a new lead repeats: the same person (<see cref="SamePerson"/>: an open lead, or a customer's
/// contact, with the e-mail or phone) or only the same company (an account, else an open lead, with
/// the normalised name). Only the same person may be merged into; a company match is another person
/// at that company, to be linked, never merged.
/// </summary>
/// <param name="Lead">The open lead matched: the same person, or a colleague at the same company.</param>
/// <param name="Account">The customer matched: the person is its contact, or it is the same company.</param>
/// <param name="SamePerson">True when the e-mail or phone matched.</param>
/// <param name="MatchedOn">The keys that matched: email, phone, company.</param>
internal sealed record LeadMatch(CrmRecord? Lead, CrmRecord? Account, bool SamePerson, IReadOnlyList<string> MatchedOn)
{
    public static LeadMatch None { get; } = new(null, null, false, []);
}

/// <summary>
/// Finds what a lead repeats on the normalised keys the tenant chose (e-mail, phone, company name),
/// the person's keys first. It searches what the caller's record API sees: a record hidden from the
/// caller matches nothing, so a capture never reveals one.
/// </summary>
internal static class LeadMatcher
{
    public static async Task<LeadMatch> FindAsync(IRecordApi records, SalesSettings settings, string? email, string? phone, string? company, Guid? except, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string?>
        {
            ["email"] = settings.DedupFields.Contains("email") ? Normalize.Email(email) : null,
            ["phone"] = settings.DedupFields.Contains("phone") ? Normalize.Phone(phone) : null,
            ["company"] = settings.DedupFields.Contains("company") ? Normalize.Company(company) : null,
        };

        // Each key is its own branch, repeating "not deleted": the key indexes are partial (live rows
        // only), and SQLite searches an index for an OR branch only when the branch itself implies the
        // index's condition; otherwise every lead is read, on each lead written (an import of 100k leads
        // slowed to 15 a second).
        var person = new List<Condition>();
        AddIf(person, keys["email"], k => Condition.Eq("email", k).And(Condition.IsNull("deletedAt")));
        AddIf(person, keys["phone"], k => Condition.Eq("phoneKey", k).And(Condition.IsNull("deletedAt")));
        if (person.Count > 0)
        {
            if (await OpenLeadAsync(records, Condition.Any([.. person]), except, cancellationToken) is { } lead)
            {
                return new LeadMatch(lead, null, true, MatchedOn(keys, lead.GetValue<string>("email"), lead.GetValue<string>("phoneKey"), lead.GetValue<string>("companyKey")));
            }

            if ((await records.FindAsync(ContactEntity.Name, Condition.Any([.. person]).And(Condition.IsNotNull("account")), 1, cancellationToken)).FirstOrNull() is { } contact
                && await records.GetAsync(AccountEntity.Name, contact.GetValue<Guid>("account"), cancellationToken) is { } customer)
            {
                return new LeadMatch(null, customer, true, MatchedOn(keys, contact.GetValue<string>("email"), contact.GetValue<string>("phoneKey"), null));
            }
        }

        if (keys["company"] is { } companyKey)
        {
            if ((await records.FindAsync(AccountEntity.Name, Condition.Eq("nameKey", companyKey), 1, cancellationToken)).FirstOrNull() is { } account)
            {
                return new LeadMatch(null, account, false, ["company"]);
            }

            if (await OpenLeadAsync(records, Condition.Eq("companyKey", companyKey), except, cancellationToken) is { } colleague)
            {
                return new LeadMatch(colleague, null, false, ["company"]);
            }
        }

        return LeadMatch.None;
    }

    private static async Task<CrmRecord?> OpenLeadAsync(IRecordApi records, Condition match, Guid? except, CancellationToken cancellationToken)
    {
        var where = match.And(Condition.Ne("status", "converted"));
        if (except is { } id)
        {
            where = where.And(Condition.Ne("id", id));
        }

        return (await records.FindAsync(LeadEntity.Name, where, 1, cancellationToken)).FirstOrNull();
    }

    private static void AddIf(List<Condition> conditions, string? key, Func<string, Condition> condition)
    {
        if (key is not null)
        {
            conditions.Add(condition(key));
        }
    }

    private static List<string> MatchedOn(Dictionary<string, string?> keys, string? email, string? phoneKey, string? companyKey) =>
        new[] { ("email", email), ("phone", phoneKey), ("company", companyKey) }
            .Where(k => k.Item2 is not null && keys[k.Item1] == k.Item2)
            .Select(k => k.Item1)
            .ToList();
}
