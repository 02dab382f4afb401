using CrmEngine.Sdk.Messaging;
using MimeKit;

namespace CrmEngine.Inbound.Intake;

/// <summary>
/// Reads the delivery status notification (RFC 3464) a received message carries: a
/// <c>multipart/report; report-type=delivery-status</c> whose <c>message/delivery-status</c> part has a
/// per-message group then one group per recipient, and whose returned headers (a
/// <c>text/rfc822-headers</c> or <c>message/rfc822</c> part) name the message reported on.
/// </summary>
public static class DeliveryReports
{
    /// <summary>The report in <paramref name="message"/>; null when it carries none.</summary>
    public static DeliveryReport? Read(MimeMessage message)
    {
        var report = message.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (report is null)
        {
            return null;
        }

        HeaderListCollection groups;
        try
        {
            groups = report.StatusGroups;
        }
        catch (FormatException)
        {
            return null; // a report whose fields don't parse says nothing we can act on
        }

        var recipients = new List<DeliveryReportRecipient>();
        for (var i = 1; i < groups.Count; i++)
        {
            var group = groups[i];
            if (group["Action"] is { Length: > 0 } action && group["Status"] is { Length: > 0 } status)
            {
                var recipient = Typed(group["Final-Recipient"]) ?? Typed(group["Original-Recipient"]);
                recipients.Add(new DeliveryReportRecipient(recipient, action.Trim().ToLowerInvariant(), status.Trim().Split(' ')[0], Typed(group["Diagnostic-Code"])));
            }
        }

        return new DeliveryReport
        {
            OriginalMessageId = OriginalMessageId(message),
            OriginalEnvelopeId = groups.Count > 0 ? groups[0]["Original-Envelope-Id"]?.Trim() : null,
            Recipients = recipients,
        };
    }

    /// <summary>The Message-ID of the returned headers or message, without angle brackets.</summary>
    private static string? OriginalMessageId(MimeMessage message)
    {
        foreach (var part in message.BodyParts.Concat(message.Attachments))
        {
            if (part is MessagePart { Message: { } original } && original.MessageId is { Length: > 0 } id)
            {
                return id;
            }

            if (part is MimePart { Content: { } content } mime && mime.ContentType.IsMimeType("text", "rfc822-headers"))
            {
                using var stream = new MemoryStream();
                content.DecodeTo(stream);
                stream.Position = 0;
                if (HeaderList.Load(stream)[HeaderId.MessageId] is { Length: > 0 } raw)
                {
                    return raw.Trim().Trim('<', '>');
                }
            }
        }

        return null;
    }

    /// <summary>A DSN field's value without its type (<c>rfc822; a@b</c> → <c>a@b</c>, <c>smtp; 550 …</c> → <c>550 …</c>).</summary>
    private static string? Typed(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var text = (semicolon >= 0 ? value[(semicolon + 1)..] : value).Trim();
        return text.Length == 0 ? null : text.Length > 500 ? text[..500] : text;
    }
}
