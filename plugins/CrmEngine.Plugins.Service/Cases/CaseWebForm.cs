using System.Net;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary><c>caseFormLink</c>: the path of the tenant's public case form, signed for a year, for its website.</summary>
internal sealed class CaseFormLink(ILinkSigner links) : IPluginOperation
{
    public const string Purpose = "case-form";

    public string Name => "caseFormLink";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The path (with its token, valid a year) of the public web form that opens cases: GET shows the form, POST submits it.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    public TypeRef Result => TypeRef.String.NonNull();

    public Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken) =>
        Task.FromResult<object?>("/p/service/form?token=" + links.Sign(new LinkGrant(context.Identity.TenantId, "service", Purpose, "case-form"), TimeSpan.FromDays(365)));
}

/// <summary><c>GET /p/service/form?token=…</c>: the form, in Chinese and English, posting back to the same address.</summary>
internal sealed class CaseFormPage : IPublicEndpoint
{
    public EndpointMethod Method => EndpointMethod.Get;

    public string Route => "form";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(CaseFormLink.Purpose);

    public Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken) => Task.FromResult(EndpointResponse.Html("""
        <!doctype html><meta charset="utf-8"><title>提交服务请求 / Ask for help</title>
        <form method="post">
        <label>姓名 / Name <input name="name" maxlength="100"></label>
        <label>邮箱 / E-mail <input name="email" type="email" required></label>
        <label>主题 / Subject <input name="subject" maxlength="255" required></label>
        <label>问题描述 / Description <textarea name="description" maxlength="10000"></textarea></label>
        <label style="display:none">Website <input name="website" tabindex="-1" autocomplete="off"></label>
        <button type="submit">提交 / Send</button>
        </form>
        """));
}

/// <summary>
/// <c>POST /p/service/form?token=…</c>: a visitor's request from the tenant's website. The host has
/// checked the form token and the caller's request rate. A filled honeypot field (<c>website</c>,
/// hidden from people) is a bot: it is thanked and nothing is written. Otherwise the visitor (their
/// e-mail address) becomes or finds a contact, and a case opens on the web channel under the contact's
/// account; the page gives the case number to quote in later mail. Bad input is refused with 400 and
/// nothing is written.
/// </summary>
internal sealed class CaseFormSubmit : IPublicEndpoint
{
    private const int MaxDescription = 10000;

    public EndpointMethod Method => EndpointMethod.Post;

    public string Route => "form";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(CaseFormLink.Purpose);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        string? Field(string name) => context.Form.GetValueOrDefault(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        if (Field("website") is not null)
        {
            return Thanks(null);
        }

        var subject = Field("subject") ?? throw Invalid("Say what you need help with (a subject).", "subject");
        var email = Field("email") ?? throw Invalid("Give your e-mail address, so that we can answer.", "email");
        if (subject.Length > 255)
        {
            throw Invalid("The subject is at most 255 characters.", "subject");
        }

        var description = Field("description");
        if (description?.Length > MaxDescription)
        {
            throw Invalid($"The description is at most {MaxDescription} characters.", "description");
        }

        var records = context.PrivilegedRecords;
        var contact = await Customers.ContactAsync(records, email, Field("name"), cancellationToken);
        var created = await Writes.RequireAsync(records.CreateAsync(CaseEntity.Name, new FieldValues
        {
            ["subject"] = subject,
            ["description"] = description,
            ["channel"] = "web",
            ["contact"] = contact.Id,
            ["account"] = contact.GetValue("account"),
        }, cancellationToken));
        return Thanks(created.GetValue<string>("number"));
    }

    private static EndpointResponse Thanks(string? number) => EndpointResponse.Html(
        "<!doctype html><meta charset=\"utf-8\"><title>提交成功 / Thank you</title><p>已收到您的服务请求，我们会尽快答复。 / We have your request and will answer soon."
        + (number is null ? string.Empty : $" 工单号 / Case number: <strong>{WebUtility.HtmlEncode(number)}</strong>")
        + "</p>");

    private static OperationException Invalid(string message, string field) => new(ServiceErrors.InvalidInput, message, field);
}
