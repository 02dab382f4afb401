using CrmEngine.Sdk.Messaging;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Messaging.Outbox;

/// <summary>
/// What the service reads on a recipient record, whatever the caller's field rights (consent must hold
/// even for a caller who can't see it): its address for a channel, its language, and whether it opted
/// out of a purpose. The conventions (docs/messaging.md): an EMAIL field (the one named <c>email</c>
/// first), a PHONE field (<c>mobile</c>, then <c>phone</c>, then any), a <c>language</c> field,
/// BOOLEAN <c>doNotEmail</c>/<c>doNotSms</c> (opting out of every purpose but <see cref="Transactional"/>)
/// and <c>optOutPurposes</c> (a MULTI_PICKLIST or comma-separated TEXT of purposes opted out of on every channel).
/// </summary>
public static class Recipients
{
    public const string Transactional = "transactional";
    public const string DoNotEmail = "doNotEmail";
    public const string DoNotSms = "doNotSms";
    public const string OptOutPurposes = "optOutPurposes";
    public const string LanguageField = "language";

    /// <summary>The address to send to: <paramref name="to"/> when given, else the record's; null for the webhook channel, which has none.</summary>
    public static string Address(RecordData record, MessageChannel channel, string? to)
    {
        if (channel == MessageChannel.Webhook)
        {
            return to ?? string.Empty;
        }

        var address = to ?? channel switch
        {
            MessageChannel.Email => Raw(record, Pick(record.Entity, FieldType.Email, "email")) as string,
            _ => Raw(record, Pick(record.Entity, FieldType.Phone, "mobile", "mobilePhone", "phone")) as string,
        };
        return string.IsNullOrWhiteSpace(address)
            ? throw new CrmException(ErrorCodes.NoRecipientAddress, $"This {record.Entity.Name} has no {(channel == MessageChannel.Email ? "e-mail address" : "phone number")} to send to.", "recordId")
            : address.Trim();
    }

    /// <summary>"zh-CN" for a record whose language field says Chinese, else "en".</summary>
    public static string Language(RecordData record) =>
        Raw(record, record.Entity.FindField(LanguageField)) is string language && language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";

    /// <summary>Refuses a message the record opted out of.</summary>
    public static void CheckConsent(RecordData record, MessageChannel channel, string purpose)
    {
        var channelOptOut = channel switch
        {
            MessageChannel.Email => DoNotEmail,
            MessageChannel.Sms => DoNotSms,
            _ => null,
        };
        if (purpose != Transactional && channelOptOut is not null && Raw(record, record.Entity.FindField(channelOptOut)) is true)
        {
            throw OptedOut(record, $"This {record.Entity.Name} asked not to be contacted by {channel.ToString().ToLowerInvariant()} ({channelOptOut}).");
        }

        var purposes = Raw(record, record.Entity.FindField(OptOutPurposes)) switch
        {
            IEnumerable<string> list => list,
            string text => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            _ => [],
        };
        if (purposes.Contains(purpose, StringComparer.OrdinalIgnoreCase))
        {
            throw OptedOut(record, $"This {record.Entity.Name} opted out of {purpose} messages.");
        }
    }

    private static CrmException OptedOut(RecordData record, string message) => new(ErrorCodes.RecipientOptedOut, message, "recordId");

    private static FieldDefinition? Pick(EntityDefinition entity, FieldType type, params string[] preferred) =>
        preferred.Select(entity.FindField).FirstOrDefault(f => f?.Type == type) ?? entity.ActiveFields.FirstOrDefault(f => f.Type == type);

    // The stored value, read past the caller's field rights.
    private static object? Raw(RecordData record, FieldDefinition? field) => field is null ? null : field.Of().Read(field, record.Row);
}
