using System.Security.Cryptography;
using MimeKit;

namespace CrmEngine.Inbound.Intake;

/// <summary>Why a message is refused, before anything of it is stored.</summary>
public enum MailRefusal
{
    /// <summary>Larger than <see cref="InboundOptions.MaxMessageBytes"/>.</summary>
    TooLarge,

    /// <summary>Not a parsable message, or one without a sender address.</summary>
    Malformed,

    /// <summary>No tenant accepts its recipients.</summary>
    UnknownRecipient,
}

/// <summary>A message as received: parsed, with the key that makes a second delivery of it a duplicate.</summary>
public sealed class ReceivedMail
{
    private ReceivedMail(MimeMessage message, MailboxAddress from, string key, int size)
    {
        Message = message;
        From = from;
        Key = key;
        Size = size;
    }

    public MimeMessage Message { get; }

    public MailboxAddress From { get; }

    /// <summary>Its Message-ID, or <c>sha256:</c> and the hash of its bytes when it has none (or an absurd one).</summary>
    public string Key { get; }

    public int Size { get; }

    /// <summary>The message in <paramref name="raw"/>, or why it is refused (too large, malformed).</summary>
    public static (ReceivedMail? Mail, MailRefusal? Refusal) Parse(ReadOnlyMemory<byte> raw, int maxBytes)
    {
        if (raw.Length > maxBytes)
        {
            return (null, MailRefusal.TooLarge);
        }

        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw.ToArray(), writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return (null, MailRefusal.Malformed);
        }

        // A message needs a sender: without one, nothing could answer or thread it.
        if (message.From.Mailboxes.FirstOrDefault() is not { } from || from.Address.IndexOf('@', StringComparison.Ordinal) <= 0)
        {
            return (null, MailRefusal.Malformed);
        }

        var key = message.MessageId is { Length: > 0 and <= 500 } id ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw.Span));
        return (new ReceivedMail(message, from, key, raw.Length), null);
    }
}
