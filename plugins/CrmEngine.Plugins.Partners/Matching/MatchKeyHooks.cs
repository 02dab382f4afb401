using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Partners.Matching;

/// <summary>
/// Keeps the match keys of accounts, leads and contacts (and registrations, <see cref="Registrations.RegistrationEntities"/>)
/// in step with what they are computed from, on every write; a key written directly is overwritten.
/// </summary>
internal abstract class MatchKeyHook(string entity, string? name, string email, string phone, string? website = null) : IBeforeRecordHook
{
    public string Entity => entity;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        foreach (var (field, key) in Keys(record.GetValue))
        {
            if (!Equals(record.GetValue(field), key))
            {
                record.SetValue(field, key);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The match key fields of a record whose values <paramref name="value"/> reads, and their keys (null where there is nothing to match on).</summary>
    public IEnumerable<(string Field, string? Key)> Keys(Func<string, object?> value)
    {
        if (name is not null)
        {
            yield return ("dealMatchName", MatchKeys.Company(value(name) as string));
        }

        yield return ("dealMatchDomain", MatchKeys.EmailDomain(value(email) as string) ?? (website is null ? null : MatchKeys.WebsiteDomain(value(website) as string)));
        yield return ("dealMatchPhone", MatchKeys.Phone(value(phone) as string));
    }
}

internal sealed class AccountMatchKeys() : MatchKeyHook("account", "name", "email", "phone", "website");

internal sealed class LeadMatchKeys() : MatchKeyHook("lead", "company", "email", "phone");

internal sealed class ContactMatchKeys() : MatchKeyHook("contact", null, "email", "phone");

internal sealed class RegistrationMatchKeys() : MatchKeyHook(Registrations.RegistrationEntities.Registration, "customerName", "email", "phone");
