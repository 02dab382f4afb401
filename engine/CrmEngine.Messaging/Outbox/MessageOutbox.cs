using CrmEngine.Sdk.Messaging;
using System.Text.RegularExpressions;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.Files;
using CrmEngine.Messaging.Delivery;
using CrmEngine.Messaging.Storage;
using CrmEngine.Messaging.Templates;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Messaging.Outbox;

/// <summary>
/// Queues messages. Each is checked (the caller may read the recipient record, it has an address, it
/// did not opt out of the purpose), rendered now (the body is fixed: every attempt sends the same) and
/// written in the caller's open write, when there is one, so a write that rolls back sends nothing; the
/// sender is woken once it commits. A refusal is a typed error and nothing of the batch is queued.
/// </summary>
public sealed partial class MessageOutbox(RecordReader reader, MergeModel merge, TemplateRenderer renderer, FilesService files, IBulkWriter bulk, MessageSignal signal, TimeProvider time)
{
    public const int MaxBatch = 1000;

    /// <summary>The most files one message carries.</summary>
    public const int MaxAttachments = 10;

    public async Task<IReadOnlyList<MessageRow>> EnqueueAsync(CrmSession session, IReadOnlyList<MessageRequest> requests, CancellationToken cancellationToken)
    {
        if (requests.Count > MaxBatch)
        {
            throw new CrmException(ErrorCodes.TooManyItems, $"At most {MaxBatch} messages are queued at once.");
        }

        var records = await RecipientsAsync(session, requests, cancellationToken);
        var templates = new Dictionary<(string, string), TemplateRow?>();
        var looked = new Dictionary<(string, Guid), Dictionary<string, object?>?>();
        var now = time.UtcNow();
        var rows = new List<MessageRow>(requests.Count);
        // Templates are read in the open write, if any (which may have just saved them), else on a context of their own.
        await using var joined = JoinedContext.For(session);
        var context = joined.Context;
        foreach (var request in requests)
        {
            Check(request);
            var record = records[(request.Entity, request.RecordId)];
            var address = Recipients.Address(record, request.Channel, request.To);
            Recipients.CheckConsent(record, request.Channel, request.Purpose);
            var language = Recipients.Language(record);
            var rendered = request.Template is { } name
                ? await RenderTemplateAsync(session, context, templates, looked, name, language, record, request.Channel, cancellationToken)
                : Literal(request);
            language = request.Template is null ? language : rendered.Language;
            rows.Add(new MessageRow
            {
                Id = Guid.CreateVersion7(),
                Channel = request.Channel.ToString().ToLowerInvariant(),
                Purpose = request.Purpose,
                Entity = record.Entity.Name,
                RecordId = record.Id,
                Recipient = address,
                Template = request.Template,
                Language = language,
                Subject = rendered.Message.Subject,
                Html = rendered.Message.Html,
                Text = rendered.Message.Text,
                Attachments = MessageAttachments.Write(await AttachmentsAsync(session, request, cancellationToken)),
                Headers = MessageHeaders.Write(request.Headers),
                Status = nameof(MessageStatus.Queued),
                NextAttemptAt = now,
                CreatedBy = session.Principal.UserId,
                CreatedAt = now,
            });
        }

        await SaveAsync(session, rows, cancellationToken);
        return rows;
    }

    // Through the store's bulk path (a prepared insert per row on SQLite, COPY on PostgreSQL): a
    // campaign queues thousands at once, and EF's change tracking and batching cost more than the insert.
    private async Task SaveAsync(CrmSession session, List<MessageRow> rows, CancellationToken cancellationToken)
    {
        var tenant = session.TenantId;
        if (WriteScope.For(session) is { } scope)
        {
            // Written now, not with the write: a nested write that fails later rolls back to its own
            // savepoint and drops what it had not written. The sender looks once the whole write commits.
            await bulk.InsertAsync(scope.Context, rows, cancellationToken);
            scope.AfterCommit(() => signal.Notify(tenant));
            return;
        }

        await using (var context = session.CreateContext())
        await using (var transaction = await context.Database.BeginTransactionAsync(cancellationToken))
        {
            await bulk.InsertAsync(context, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        signal.Notify(tenant);
    }

    /// <summary>The recipient records, read as the caller: one the caller can't read is, for the caller, not there.</summary>
    private async Task<Dictionary<(string, Guid), RecordData>> RecipientsAsync(CrmSession session, IReadOnlyList<MessageRequest> requests, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, Guid), RecordData>();
        foreach (var group in requests.GroupBy(r => r.Entity))
        {
            var entity = session.Metadata.Find(group.Key)
                ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity {group.Key}.", "entity");
            var ids = group.Select(r => r.RecordId).Distinct().ToList();
            var records = ids.Count == 1
                ? await reader.GetAsync(session, entity.Name, ids[0], includeDeleted: false, cancellationToken) is { } one ? new Dictionary<Guid, RecordData> { [one.Id] = one } : []
                : await reader.GetManyAsync(session, entity.Name, ids, cancellationToken);
            foreach (var id in ids)
            {
                found[(group.Key, id)] = records.GetValueOrDefault(id)
                    ?? throw new CrmException(ErrorCodes.NotFound, $"There is no {entity.Name} {id} to send to.", "recordId");
            }
        }

        return found;
    }

    /// <summary>The files a message carries, each one the caller may see (a file they can't see is, for them, not there).</summary>
    private async Task<List<MessageAttachment>> AttachmentsAsync(CrmSession session, MessageRequest request, CancellationToken cancellationToken)
    {
        var attachments = new List<MessageAttachment>();
        foreach (var id in request.Attachments?.Distinct() ?? [])
        {
            var file = await files.FindAsync(session, id, cancellationToken)
                ?? throw new CrmException(ErrorCodes.NotFound, $"There is no file {id} to attach.", "attachments");
            attachments.Add(new MessageAttachment(file.Id, file.Name, file.ContentType));
        }

        return attachments;
    }

    private static void Check(MessageRequest request)
    {
        if (request.Attachments is { Count: > 0 } attachments)
        {
            if (request.Channel != MessageChannel.Email)
            {
                throw new CrmException(ErrorCodes.AttachmentsNotSupported, $"Only e-mail carries attachments; {request.Channel} messages don't.", "attachments");
            }

            if (attachments.Count > MaxAttachments)
            {
                throw new CrmException(ErrorCodes.TooManyItems, $"A message carries at most {MaxAttachments} files.", "attachments");
            }
        }

        MessageHeaders.Check(request.Channel, request.Headers);
        if (!PurposePattern().IsMatch(request.Purpose ?? string.Empty))
        {
            throw new CrmException(ErrorCodes.InvalidValue, "A message needs a purpose: lowercase letters, digits, '-' or '_' (marketing, service, transactional, ...).", "purpose");
        }

        if (request.Template is null && string.IsNullOrWhiteSpace(request.Body))
        {
            throw new CrmException(ErrorCodes.Required, "A message needs a template or a body.", "body");
        }

        if (request.Template is null && request.Channel == MessageChannel.Email && string.IsNullOrWhiteSpace(request.Subject))
        {
            throw new CrmException(ErrorCodes.Required, "An e-mail needs a subject.", "subject");
        }
    }

    private (RenderedMessage Message, string Language) Literal(MessageRequest request)
    {
        if (request.Channel != MessageChannel.Email)
        {
            return (new RenderedMessage(request.Subject, null, request.Body!.Trim()), string.Empty);
        }

        var (html, text) = renderer.SanitizeWithText(request.Body!);
        return (new RenderedMessage(request.Subject!.Trim(), html, text), string.Empty);
    }

    private async Task<(RenderedMessage Message, string Language)> RenderTemplateAsync(
        CrmSession session,
        DbContext context,
        Dictionary<(string, string), TemplateRow?> templates,
        Dictionary<(string, Guid), Dictionary<string, object?>?> looked,
        string name,
        string language,
        RecordData record,
        MessageChannel channel,
        CancellationToken cancellationToken)
    {
        var template = await TemplateAsync(context, templates, name, language, cancellationToken);
        if (template is null && language != "en")
        {
            template = await TemplateAsync(context, templates, name, "en", cancellationToken);
        }

        if (template is null)
        {
            throw new CrmException(ErrorCodes.TemplateNotFound, $"There is no template {name} in {language} or en.", "template");
        }

        var model = await merge.BuildAsync(session, record, looked, cancellationToken);
        return (await renderer.RenderAsync(template.Subject, template.Body, channel == MessageChannel.Email, model), template.Language);
    }

    private static async Task<TemplateRow?> TemplateAsync(DbContext context, Dictionary<(string, string), TemplateRow?> templates, string name, string language, CancellationToken cancellationToken)
    {
        if (!templates.TryGetValue((name, language), out var template))
        {
            template = await context.Set<TemplateRow>().FirstOrDefaultAsync(t => t.Name == name && t.Language == language, cancellationToken);
            templates[(name, language)] = template;
        }

        return template;
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    private static partial Regex PurposePattern();
}
