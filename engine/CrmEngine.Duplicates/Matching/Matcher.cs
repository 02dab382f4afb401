using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Duplicates.Matching;

/// <summary>How a duplicate rule's condition compares one field of two records: both values are reduced to a match key, and equal keys match.</summary>
public enum Matcher
{
    /// <summary>The same value, ignoring case, width (全角/半角) and runs of white space.</summary>
    Exact,

    /// <summary>The same company once punctuation, parenthesized parts ((中国)) and legal suffixes (有限公司, Co., Ltd., Inc., GmbH...) are taken off.</summary>
    CompanyName,

    /// <summary>The same e-mail address, ignoring case and surrounding space.</summary>
    Email,

    /// <summary>The same domain of an e-mail address or web address; free-mail domains (gmail.com, qq.com, 163.com...) never match.</summary>
    EmailDomain,

    /// <summary>The same phone number in E.164 (+8613800138000), national numbers read in the rule's country.</summary>
    Phone,
}

/// <summary>The field kinds each matcher can compare.</summary>
public static class MatcherFields
{
    public static bool Fits(Matcher matcher, FieldType type) => matcher switch
    {
        Matcher.Exact => type is FieldType.Text or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Integer or FieldType.Date or FieldType.Picklist or FieldType.AutoNumber,
        Matcher.CompanyName => type is FieldType.Text,
        Matcher.Email => type is FieldType.Email or FieldType.Text,
        Matcher.EmailDomain => type is FieldType.Email or FieldType.Url or FieldType.Text,
        Matcher.Phone => type is FieldType.Phone or FieldType.Text,
        _ => false,
    };

    /// <summary>The match key of one value; null when the value can't match anything (empty, not an address, a free-mail domain).</summary>
    public static string? Key(Matcher matcher, string? value, string callingCode) => value is null ? null : matcher switch
    {
        Matcher.Exact => TextKeys.Exact(value),
        Matcher.CompanyName => CompanyNames.Key(value),
        Matcher.Email => EmailKeys.Address(value),
        Matcher.EmailDomain => EmailKeys.Domain(value),
        Matcher.Phone => PhoneNumbers.ToE164(value, callingCode),
        _ => null,
    };
}
