using System.Net.Mail;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Sending;

/// <summary>
/// The addresses a test send goes to: each a bare e-mail address (<c>someone@example.com</c>, no display
/// name), each once (compared without case), one to <c>max</c> of them.
/// </summary>
internal static class TestRecipients
{
    public static IReadOnlyList<string> Read(object? argument, int max)
    {
        var given = (argument as IEnumerable<object?> ?? []).Select(a => (a as string ?? string.Empty).Trim()).ToList();
        if (given.Count == 0)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Give at least one address to send the test to.", "to");
        }

        if (given.FirstOrDefault(a => !IsAddress(a)) is { } bad)
        {
            throw new OperationException(MarketingErrors.InvalidAddress, $"'{bad}' is not an e-mail address.", "to");
        }

        var addresses = given.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return addresses.Count > max
            ? throw new OperationException(MarketingErrors.TooManyRecipients, $"A test goes to at most {max} addresses; this one names {addresses.Count}.", "to")
            : addresses;
    }

    private static bool IsAddress(string text) =>
        text.Length is > 2 and <= 254 && MailAddress.TryCreate(text, out var address) && address.Address == text && address.DisplayName.Length == 0 && address.Host.Contains('.', StringComparison.Ordinal);
}
