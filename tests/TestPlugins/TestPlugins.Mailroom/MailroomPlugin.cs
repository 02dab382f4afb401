using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Mailroom;

/// <summary>Declares the mail note an inbound e-mail becomes.</summary>
public sealed class MailroomPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder) =>
        builder.Entity("mailNote", e => e
            .Label("Mail note", "邮件记录")
            .Text("subject", f => f.Label("Subject", "主题"))
            .Text("sender", f => f.Label("Sender", "发件人"))
            .Text("messageId", f => f.Label("Message-ID", "邮件标识"))
            .Text("inReplyTo", f => f.Label("In-Reply-To", "回复"))
            .Text("thread", f => f.Label("References", "会话"))
            .Text("recipients", f => f.Label("Recipients", "收件人"))
            .Text("source", f => f.Label("Source", "来源"))
            .LongText("body", f => f.Label("Text", "正文"))
            .LongText("html", f => f.Label("HTML", "网页正文"))
            .Text("attachmentList", f => f.Label("Attachments", "附件清单"))
            .Attachment("files", f => f.Label("Files", "文件")));
}

/// <summary>Files each inbound e-mail as a mail note, as a service module would make a case of it; a subject "explode" makes it fail.</summary>
public sealed class MailNoteHandler : IInboundMailHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IInboundMailContext context, InboundMail mail, CancellationToken cancellationToken)
    {
        if (mail.Subject == "explode")
        {
            throw new InvalidOperationException("The mailroom handler failed on purpose.");
        }

        var outcome = await context.Records.CreateAsync("mailNote", new Dictionary<string, object?>
        {
            ["subject"] = mail.Subject,
            ["sender"] = mail.From.Name is null ? mail.From.Address : $"{mail.From.Name} <{mail.From.Address}>",
            ["messageId"] = mail.MessageId,
            ["inReplyTo"] = mail.InReplyTo,
            ["thread"] = string.Join(" ", mail.References),
            ["recipients"] = string.Join(",", mail.To.Select(a => a.Address).Concat(mail.Cc.Select(a => "cc:" + a.Address)).Concat(mail.DeliveredTo.Select(a => "to:" + a))),
            ["source"] = mail.Source.ToString(),
            ["body"] = mail.Text,
            ["html"] = mail.Html,
            ["attachmentList"] = string.Join(",", mail.Attachments.Select(a => $"{a.Name}|{a.ContentType}|{a.Size}|{(a.FileId is null ? "refused" : "stored")}")),
            ["files"] = mail.Attachments.Where(a => a.FileId is not null).Select(a => RecordIds.GlobalId("File", a.FileId!.Value)).ToList(),
        }, cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("The mail note was refused: " + string.Join("; ", outcome.Errors.Select(e => e.Code + " " + e.Message)));
        }
    }
}
