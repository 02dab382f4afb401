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
        if (name is not null)
        {
            Keep(record, "dealMatchName", MatchKeys.Company(record.GetValue(name) as string));
        }

        var domain = MatchKeys.EmailDomain(record.GetValue(email) as string) ?? (website is null ? null : MatchKeys.WebsiteDomain(record.GetValue(website) as string));
        Keep(record, "dealMatchDomain", domain);
        Keep(record, "dealMatchPhone", MatchKeys.Phone(record.GetValue(phone) as string));
        return Task.CompletedTask;
    }

    private static void Keep(IRecordContext record, string field, string? key)
    {
        if (!Equals(record.GetValue(field), key))
        {
            record.SetValue(field, key);
        }
    }
}

internal sealed class AccountMatchKeys() : MatchKeyHook("account", "name", "email", "phone", "website");

internal sealed class LeadMatchKeys() : MatchKeyHook("lead", "company", "email", "phone");

internal sealed class ContactMatchKeys() : MatchKeyHook("contact", null, "email", "phone");

internal sealed class RegistrationMatchKeys() : MatchKeyHook(Registrations.RegistrationEntities.Registration, "customerName", "email", "phone");
