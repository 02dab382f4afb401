using CrmEngine.Sdk.Messaging;

namespace CrmEngine.Messaging.Outbox;

/// <summary>
/// A message to queue to the record <paramref name="RecordId"/> of <paramref name="Entity"/>, for a
/// purpose: either from a template (by name; the recipient's language picks the variant) or literal
/// (a subject and a body: HTML for e-mail, text otherwise). <paramref name="To"/> overrides the
/// record's own address. <paramref name="Attachments"/> are ids of stored files (the files service) the
/// caller may see; e-mail only. <paramref name="Headers"/> are extra e-mail header fields
/// (<see cref="MessageHeaders"/>).
/// </summary>
public sealed record MessageRequest(
    MessageChannel Channel,
    string Entity,
    Guid RecordId,
    string Purpose,
    string? Template = null,
    string? Subject = null,
    string? Body = null,
    string? To = null,
    IReadOnlyList<Guid>? Attachments = null,
    IReadOnlyDictionary<string, string>? Headers = null);
