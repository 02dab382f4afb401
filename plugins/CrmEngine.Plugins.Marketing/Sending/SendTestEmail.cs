using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Email;
using CrmEngine.Plugins.Marketing.Members;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Sending;

/// <summary>
/// <c>sendTestEmail(campaignId, to, memberId?, language?, name?, company?, title?)</c>: sends the e-mail
/// campaign's mail, as a member would get it, to a few reviewers' addresses, before (or while) the
/// campaign runs. The merge fields are a sample member's (<c>memberId</c>, a member of this campaign)
/// with any of <c>name</c>, <c>company</c>, <c>title</c> given instead; the variant is <c>language</c>
/// (<c>en</c> or <c>zh-CN</c>), else the sample person's. The subject starts with <c>[TEST]</c>, and
/// its links are signed for no member (<see cref="Mailing.TestSubject"/>): they work but record
/// nothing. The message's record is the campaign (purpose <c>marketing-test</c>), so no member is
/// marked sent and no campaign figure moves. All of it is queued, or none of it.
/// </summary>
internal sealed class SendTestEmail(ILinkSigner links) : IPluginOperation
{
    public const int MaxRecipients = 5;
    public const string Prefix = "[TEST] ";

    private static readonly string[] Merged = ["name", "company", "title"];

    public string Name => "sendTestEmail";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => $"Sends a test copy of an e-mail campaign's mail (subject prefixed [TEST]) to up to {MaxRecipients} addresses, with a sample member's or the given merge fields; records nothing on members or the campaign's figures.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("campaignId", TypeRef.Id.NonNull()),
        new("to", TypeRef.ListOf(TypeRef.String.NonNull()).NonNull(), $"The addresses to send to (1 to {MaxRecipients})."),
        new("memberId", TypeRef.Id, "A member of the campaign whose merge fields and language the test uses."),
        new("language", TypeRef.String, "The variant to send: en or zh-CN; the sample member's by default."),
        new("name", TypeRef.String, "{{name}}, instead of the sample member's."),
        new("company", TypeRef.String, "{{company}}, instead of the sample member's."),
        new("title", TypeRef.String, "{{title}}, instead of the sample member's."),
    ];

    public TypeRef Result { get; } = TypeRef.Object("CampaignTestSent",
        new FieldRef("sent", TypeRef.Int.NonNull(), "Test messages queued."),
        new FieldRef("to", TypeRef.ListOf(TypeRef.String.NonNull()).NonNull()),
        new FieldRef("subject", TypeRef.String.NonNull(), "The subject as sent."),
        new FieldRef("language", TypeRef.String.NonNull(), "The variant sent.")).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var campaign = await Writes.ExistingAsync(records, CampaignEntity.Name, context.RecordId("campaignId", CampaignEntity.Name), "campaignId", cancellationToken);
        if (campaign.GetValue<string>("type") != "email")
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"Campaign '{campaign.GetValue<string>("name")}' is a {campaign.GetValue<string>("type")} campaign, not an e-mail one.", "campaignId");
        }

        if (CampaignStatuses.IsClosed(campaign.GetValue<string>("status")))
        {
            throw new OperationException(MarketingErrors.CampaignClosed, $"Campaign '{campaign.GetValue<string>("name")}' is {campaign.GetValue<string>("status")}; it sends nothing more.", "campaignId");
        }

        SendCampaignEmail.RequireMessage(campaign);
        var to = TestRecipients.Read(context.Arguments.GetValueOrDefault("to"), MaxRecipients);
        var person = await SamplePersonAsync(context, campaign, cancellationToken);
        var values = new Dictionary<string, string?>(person is null ? Merged.ToDictionary(f => f, _ => (string?)null) : await MergeFields.ValuesAsync(records, person.Value.Entity, person.Value.Record, cancellationToken));
        foreach (var field in Merged)
        {
            if (context.Arguments.GetValueOrDefault(field) is string given)
            {
                values[field] = given;
            }
        }

        var (subject, body, language) = Variant(campaign, person?.Record, context.Argument<string>("language"));
        var mail = await MailSetup.LoadAsync(links, context.Identity, context.Settings, cancellationToken);
        var message = new OutboundMessage(MessageChannel.Email, CampaignEntity.Name, campaign.Id, "marketing-test")
        {
            Subject = Prefix + MergeFields.Merge(subject, values, html: false),
            Body = mail.Body(Mailing.TestSubject, body, values),
            Headers = mail.Headers(Mailing.TestSubject),
        };
        foreach (var address in to)
        {
            var outcome = await context.Messaging.SendAsync(message with { To = address }, cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, "to");
            }
        }

        return new Dictionary<string, object?> { ["sent"] = to.Count, ["to"] = to, ["subject"] = message.Subject, ["language"] = language };
    }

    /// <summary>The sample member's person, when one is named: it must be a member of this campaign.</summary>
    private static async Task<(string Entity, CrmRecord? Record)?> SamplePersonAsync(IOperationContext context, CrmRecord campaign, CancellationToken cancellationToken)
    {
        if (context.Arguments.GetValueOrDefault("memberId") is null)
        {
            return null;
        }

        var member = await Writes.ExistingAsync(context.Records, CampaignMemberEntity.Name, context.RecordId("memberId", CampaignMemberEntity.Name), "memberId", cancellationToken);
        if (member.GetValue("campaign") as Guid? != campaign.Id)
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"That member is not in campaign '{campaign.GetValue<string>("name")}'.", "memberId");
        }

        var entity = CampaignMemberEntity.Targets.First(t => member.GetValue(t) is Guid);
        return (entity, await context.Records.GetAsync(entity, member.GetValue<Guid>(entity), cancellationToken));
    }

    /// <summary>The variant asked for, else the sample person's (<see cref="MailVariant"/>); an English one the campaign lacks, or another language, is refused.</summary>
    private static (string Subject, string Body, string Language) Variant(CrmRecord campaign, CrmRecord? person, string? language) => language switch
    {
        null => MailVariant.Of(campaign, person),
        "zh-CN" => (campaign.GetValue<string>("emailSubject")!, campaign.GetValue<string>("emailBody")!, "zh-CN"),
        "en" when campaign.GetValue<string>("emailSubjectEn") is { Length: > 0 } subject => (subject, campaign.GetValue<string>("emailBodyEn")!, "en"),
        "en" => throw new OperationException(MarketingErrors.InvalidInput, "The campaign has no English variant (emailSubjectEn, emailBodyEn).", "language"),
        _ => throw new OperationException(MarketingErrors.InvalidInput, $"'{language}' is not a variant; use en or zh-CN.", "language"),
    };
}
