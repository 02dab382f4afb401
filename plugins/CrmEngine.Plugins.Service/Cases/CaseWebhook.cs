using System.Text.Json;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary>
/// <c>POST /p/service/cases</c>: the inbound webhook for chat and social channels (and any system
/// that opens cases), with the tenant's API key. The JSON body names the subject, the channel and the
/// customer's e-mail address (the contact is found or made, as for e-mail); the case is written as
/// the key's user, through the same rules as the API. Bad input is refused with 400 INVALID_INPUT and
/// nothing is written.
/// </summary>
internal sealed class CaseWebhook : IPublicEndpoint
{
    private static readonly string[] Channels = ["chat", "social", "web", "api", "phone"];

    public EndpointMethod Method => EndpointMethod.Post;

    public string Route => "cases";

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var body = Parse(context.Body);
        var subject = Text(body, "subject") ?? throw Invalid("A case needs a subject.", "subject");
        var channel = Text(body, "channel") ?? "api";
        if (!Channels.Contains(channel))
        {
            throw Invalid($"'{channel}' is not a channel of the webhook ({string.Join(", ", Channels)}).", "channel");
        }

        var email = Text(body, "email") ?? throw Invalid("Say who the customer is: their e-mail address.", "email");
        var contact = await Customers.ContactAsync(context.Records, email, Text(body, "name"), cancellationToken);
        var created = await Writes.RequireAsync(context.Records.CreateAsync(CaseEntity.Name, new FieldValues
        {
            ["subject"] = Customers.Truncate(subject, 255),
            ["description"] = Text(body, "description"),
            ["channel"] = channel,
            ["priority"] = Text(body, "priority") ?? "normal",
            ["contact"] = contact.Id,
            ["account"] = contact.GetValue("account"),
        }, cancellationToken));
        return EndpointResponse.Json(new Dictionary<string, object?> { ["id"] = RecordIds.GlobalId(CaseEntity.Name, created.Id), ["number"] = created.GetValue<string>("number") }, 201);
    }

    private static JsonElement Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : throw Invalid("The body is a JSON object.", null);
        }
        catch (JsonException)
        {
            throw Invalid("The body is not JSON.", null);
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString()!.Trim() : null;

    private static OperationException Invalid(string message, string? field) => new(ServiceErrors.InvalidInput, message, field);
}
