using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>What a new lead duplicates: an open lead, or a customer we already have (by contact or company).</summary>
internal sealed record LeadMatch(CrmRecord? Lead, CrmRecord? Account, IReadOnlyList<string> MatchedOn);

/// <summary>Finds duplicates of a lead on the normalised keys the tenant chose (e-mail, phone, company name).</summary>
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
        if (keys.Values.All(k => k is null))
        {
            return new LeadMatch(null, null, []);
        }

        var leadConditions = new List<Condition>();
        AddIf(leadConditions, keys["email"], k => Condition.Eq("email", k));
        AddIf(leadConditions, keys["phone"], k => Condition.Eq("phoneKey", k));
        AddIf(leadConditions, keys["company"], k => Condition.Eq("companyKey", k));
        var where = Condition.Any([.. leadConditions]).And(Condition.Ne("status", "converted"));
        if (except is { } id)
        {
            where = where.And(Condition.Ne("id", id));
        }

        var lead = (await records.FindAsync(LeadEntity.Name, where, 1, cancellationToken)).FirstOrNull();
        if (lead is not null)
        {
            return new LeadMatch(lead, null, MatchedOn(keys, lead.GetValue<string>("email"), lead.GetValue<string>("phoneKey"), lead.GetValue<string>("companyKey")));
        }

        var contactConditions = new List<Condition>();
        AddIf(contactConditions, keys["email"], k => Condition.Eq("email", k));
        AddIf(contactConditions, keys["phone"], k => Condition.Eq("phoneKey", k));
        if (contactConditions.Count > 0
            && (await records.FindAsync(ContactEntity.Name, Condition.Any([.. contactConditions]).And(Condition.IsNotNull("account")), 1, cancellationToken)).FirstOrNull() is { } contact
            && await records.GetAsync(AccountEntity.Name, contact.GetValue<Guid>("account"), cancellationToken) is { } viaContact)
        {
            return new LeadMatch(null, viaContact, MatchedOn(keys, contact.GetValue<string>("email"), contact.GetValue<string>("phoneKey"), null));
        }

        if (keys["company"] is { } companyKey
            && (await records.FindAsync(AccountEntity.Name, Condition.Eq("nameKey", companyKey), 1, cancellationToken)).FirstOrNull() is { } account)
        {
            return new LeadMatch(null, account, ["company"]);
        }

        return new LeadMatch(null, null, []);
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
