using System.Text.Json;

namespace CrmEngine.Messaging.Storage;

/// <summary>A file a message carries: its id in the file storage, and the name and type it is sent under.</summary>
public sealed record MessageAttachment(Guid Id, string Name, string ContentType);

/// <summary>The JSON form of a message's attachments in <see cref="MessageRow.Attachments"/> (null when it has none).</summary>
public static class MessageAttachments
{
    public static string? Write(IReadOnlyList<MessageAttachment> attachments) =>
        attachments.Count == 0 ? null : JsonSerializer.Serialize(attachments);

    public static IReadOnlyList<MessageAttachment> Read(MessageRow message) =>
        message.Attachments is { } json ? JsonSerializer.Deserialize<List<MessageAttachment>>(json) ?? [] : [];
}
