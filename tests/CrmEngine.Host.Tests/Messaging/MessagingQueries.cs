using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Messaging;

/// <summary>The messaging operations the tests send, and the contacts they send to.</summary>
public static class MessagingQueries
{
    public const string Send = """
        mutation($input: SendMessageInput!) {
          sendMessage(input: $input) { message { id status channel purpose recipient subject text html language } userErrors { field code message } }
        }
        """;

    public const string Messages = """
        query($recordId: ID) {
          messages(recordId: $recordId) { id status channel purpose recipient subject text html language attempts lastError providerId sentAt nextAttemptAt recordId template }
        }
        """;

    public const string SetChannel = """
        mutation($input: MessageChannelInput!) {
          setMessageChannel(input: $input) { settings { channel enabled host port tlsMode username hasSecret fromAddress url dailyCap perSecond } userErrors { field code message } }
        }
        """;

    public const string SaveTemplate = """
        mutation($input: MessageTemplateInput!) {
          saveMessageTemplate(input: $input) { template { name language subject body } userErrors { field code message } }
        }
        """;

    /// <summary>account, and contact (name, email, language, the consent fields, a lookup to account).</summary>
    public static async Task DefineContactsAsync(TenantClient client)
    {
        await client.MutateAsync(CreateEntity, new { input = new { name = "account", labels = Labels("Account", "客户"), fields = new[] { Field("name", "TEXT", new { required = true }) } } });
        await client.MutateAsync(CreateEntity, new
        {
            input = new
            {
                name = "contact",
                labels = Labels("Contact", "联系人"),
                fields = new[]
                {
                    Field("name", "TEXT", new { required = true }),
                    Field("email", "EMAIL"),
                    Field("mobile", "PHONE"),
                    Field("language", "TEXT"),
                    Field("doNotEmail", "BOOLEAN"),
                    Field("optOutPurposes", "TEXT"),
                    Field("account", "LOOKUP", new { lookupEntity = "account" }),
                },
            },
        });
    }

    /// <summary>Creates an account and a contact of it; returns the contact's id.</summary>
    public static async Task<string> ContactAsync(TenantClient client, string name, string email, string language = "en", bool doNotEmail = false, string? optOut = null, string account = "华东客户")
    {
        var accountId = S((await client.MutateAsync("mutation($name: String!) { createAccount(input: { name: $name }) { account { id } userErrors { code } } }", new { name = account }))["account"]!["id"]);
        var contact = await client.MutateAsync("""
            mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { field code message } } }
            """, new { input = new { name, email, language, doNotEmail, optOutPurposes = optOut, accountId } });
        return S(contact["contact"]!["id"]);
    }

    /// <summary>Points the tenant's e-mail channel at the loopback server, without TLS.</summary>
    public static Task<JsonNode> UseSmtpAsync(TenantClient client, int port, object? extra = null)
    {
        var input = new JsonObject { ["channel"] = "EMAIL", ["host"] = "127.0.0.1", ["port"] = port, ["tlsMode"] = "NONE", ["fromAddress"] = "CRM <crm@example.cn>" };
        foreach (var (key, value) in extra is null ? [] : System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
        {
            input[key] = value?.DeepClone();
        }

        return client.MutateAsync(SetChannel, new { input });
    }

    /// <summary>Queues a message that must be accepted; returns it.</summary>
    public static async Task<JsonNode> SendAsync(TenantClient client, object input) => (await client.MutateAsync(Send, new { input }))["message"]!;

    /// <summary>The record's messages once <paramref name="done"/> holds for them (at most 15 s), newest first.</summary>
    public static async Task<JsonArray> MessagesAsync(TenantClient client, string recordId, Func<JsonArray, bool> done) =>
        (await client.EventuallyAsync(Messages, d => done(d["messages"]!.AsArray()), new { recordId }))["messages"]!.AsArray();

    public static string S(JsonNode? node) => node!.GetValue<string>();
}
