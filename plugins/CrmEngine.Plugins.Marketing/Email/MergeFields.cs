using System.Net;
using System.Text.RegularExpressions;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Email;

/// <summary>
/// The merge fields of a campaign's mail: <c>{{name}}</c>, <c>{{company}}</c> (a lead's company, a
/// contact's account, an account's own name) and <c>{{title}}</c> of the recipient, and
/// <c>{{unsubscribeUrl}}</c> in the body. A field the person lacks merges as nothing. Any other
/// <c>{{…}}</c> is refused when the campaign is saved, so a typo never reaches a recipient.
/// </summary>
internal static partial class MergeFields
{
    public static readonly string[] Person = ["name", "company", "title"];

    /// <summary>The campaign's text fields that take merge fields; only bodies take <c>{{unsubscribeUrl}}</c>.</summary>
    public static readonly string[] Texts = ["emailSubject", "emailBody", "emailSubjectEn", "emailBodyEn", "smsText"];

    [GeneratedRegex(@"\{\{\s*(?<field>[^{}]*?)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>Refuses a campaign text naming a merge field that doesn't exist (INVALID_INPUT on that field).</summary>
    public static void Check(string field, string? text)
    {
        foreach (Match match in Placeholder().Matches(text ?? string.Empty))
        {
            var name = match.Groups["field"].Value;
            if (!Person.Contains(name) && !(name == "unsubscribeUrl" && field.StartsWith("emailBody", StringComparison.Ordinal)))
            {
                throw new OperationException(MarketingErrors.InvalidInput, $"'{{{{{name}}}}}' is not a merge field here; use {string.Join(", ", Person.Select(p => "{{" + p + "}}"))}{(field.StartsWith("emailBody", StringComparison.Ordinal) ? " or {{unsubscribeUrl}}" : string.Empty)}.", field);
            }
        }
    }

    /// <summary>The text with the person's values merged in (HTML-encoded for a body); <c>{{unsubscribeUrl}}</c> is left for the mail.</summary>
    public static string Merge(string text, IReadOnlyDictionary<string, string?> values, bool html) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups["field"].Value, out var value)
            ? html ? WebUtility.HtmlEncode(value ?? string.Empty) : value ?? string.Empty
            : m.Value);

    /// <summary>A recipient's merge values: their name, company and title.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> ValuesAsync(IRecordApi records, string entity, CrmRecord? person, CancellationToken cancellationToken)
    {
        var company = entity switch
        {
            "lead" => person?.GetValue<string>("company"),
            "account" => person?.GetValue<string>("name"),
            _ => person?.GetValue("account") is Guid account ? (await records.GetAsync("account", account, cancellationToken))?.GetValue<string>("name") : null,
        };
        return new Dictionary<string, string?>
        {
            ["name"] = person?.GetValue<string>("name"),
            ["company"] = company,
            ["title"] = entity == "account" ? null : person?.GetValue<string>("title"),
        };
    }
}

/// <summary>
/// Which language variant of a campaign's mail a person gets: the English one (<c>emailSubjectEn</c>,
/// <c>emailBodyEn</c>) when their <c>language</c> is <c>en</c> and the campaign has one; otherwise, and
/// for everyone without a language (accounts too), the main one (<c>emailSubject</c>, <c>emailBody</c>),
/// written in Chinese by default.
/// </summary>
internal static class MailVariant
{
    public static (string Subject, string Body, string Language) Of(CrmRecord campaign, CrmRecord? person) =>
        person?.GetValue<string>("language") == "en" && campaign.GetValue<string>("emailSubjectEn") is { Length: > 0 } subject && campaign.GetValue<string>("emailBodyEn") is { Length: > 0 } body
            ? (subject, body, "en")
            : (campaign.GetValue<string>("emailSubject") ?? string.Empty, campaign.GetValue<string>("emailBody") ?? string.Empty, "zh-CN");
}
