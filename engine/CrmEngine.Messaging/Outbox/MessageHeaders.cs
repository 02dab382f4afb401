using System.Text.Json;
using System.Text.RegularExpressions;
using CrmEngine.Engine.Errors;
using CrmEngine.Messaging.Storage;
using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Messaging.Outbox;

/// <summary>
/// The extra header fields a caller gives an e-mail (a marketing mail's <c>List-Unsubscribe</c>), kept
/// as JSON on the message and written by the SMTP sender. The fields the service writes itself
/// (addresses, subject, date, ids, the MIME structure, its own <c>X-Crm-</c> ones) can't be given, so a
/// caller can't forge a sender or break the message's structure; a value is one line, so it can't
/// smuggle in a header of its own.
/// </summary>
public static partial class MessageHeaders
{
    public const int Max = 10;
    public const int MaxValueLength = 2000;

    private static readonly string[] Reserved = ["From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "MIME-Version", "Return-Path", "In-Reply-To", "References"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,75}$")]
    private static partial Regex Name();

    /// <summary>Refuses headers on a channel other than e-mail, too many, a reserved or malformed name, or a value that isn't one line (INVALID_VALUE, TOO_MANY_ITEMS).</summary>
    public static void Check(MessageChannel channel, IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is not { Count: > 0 })
        {
            return;
        }

        if (channel != MessageChannel.Email)
        {
            throw new CrmException(ErrorCodes.InvalidValue, $"Only e-mail carries header fields; {channel} messages don't.", "headers");
        }

        if (headers.Count > Max)
        {
            throw new CrmException(ErrorCodes.TooManyItems, $"A message carries at most {Max} extra header fields.", "headers");
        }

        foreach (var (name, value) in headers)
        {
            if (!Name().IsMatch(name ?? string.Empty) || Reserved.Contains(name, StringComparer.OrdinalIgnoreCase)
                || name!.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("X-Crm-", StringComparison.OrdinalIgnoreCase))
            {
                throw new CrmException(ErrorCodes.InvalidValue, $"'{name}' is not a header field a message may be given (letters, digits and '-'; not one the service writes itself).", "headers");
            }

            if (string.IsNullOrWhiteSpace(value) || value.Length > MaxValueLength || value.Any(c => c is '\r' or '\n' || char.IsControl(c)))
            {
                throw new CrmException(ErrorCodes.InvalidValue, $"The '{name}' header's value must be one line of up to {MaxValueLength} characters.", "headers");
            }
        }
    }

    public static string? Write(IReadOnlyDictionary<string, string>? headers) =>
        headers is { Count: > 0 } ? JsonSerializer.Serialize(headers.Select(h => new[] { h.Key, h.Value.Trim() })) : null;

    public static IEnumerable<(string Name, string Value)> Read(MessageRow message) =>
        message.Headers is { } json ? (JsonSerializer.Deserialize<string[][]>(json) ?? []).Select(h => (h[0], h[1])) : [];
}
