using CrmEngine.Plugins.Service.Common;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary>Who a case from outside is for: the contact with the sender's address, or a new one.</summary>
internal static class Customers
{
    /// <summary>The contact with <paramref name="address"/>; a new one (named <paramref name="name"/>, else by the address) when there is none.</summary>
    public static async Task<CrmRecord> ContactAsync(IRecordApi records, string address, string? name, CancellationToken cancellationToken)
    {
        var email = address.Trim().ToLowerInvariant();
        return (await records.FindAsync("contact", Condition.Eq("email", email), 1, cancellationToken)).FirstOrNull()
            ?? await Writes.RequireAsync(records.CreateAsync("contact", new FieldValues
            {
                ["name"] = Truncate(string.IsNullOrWhiteSpace(name) ? email.Split('@')[0] : name.Trim(), 100),
                ["email"] = email,
            }, cancellationToken), "email");
    }

    public static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
