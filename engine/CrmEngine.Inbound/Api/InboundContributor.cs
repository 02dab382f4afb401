using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Inbound.Imap;
using CrmEngine.Inbound.Settings;
using CrmEngine.Inbound.Storage;
using CrmEngine.Messaging;
using CrmEngine.Messaging.Storage;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Inbound.Api;

/// <summary>
/// Inbound e-mail in every tenant's schema, for admins: <c>inboundMailSettings</c> and
/// <c>setInboundMailSettings</c> (the domains and addresses the SMTP listener accepts for the tenant,
/// its IMAP mailbox), and <c>inboundMessages</c>, the log of what was received.
/// </summary>
internal sealed class InboundContributor(InboundSettingsService settings, ImapSignal imap) : ISchemaContributor
{
    public const int MaxPage = 500;

    public int Order => 47;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var graph = new InboundGraphTypes(types);
        context.Query.AddField(new FieldType
        {
            Name = "inboundMailSettings",
            Description = "What the tenant receives: the domains and addresses the host's SMTP listener accepts for it, and its IMAP mailbox. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(graph.Settings),
            Resolver = Resolve.Async(async (c, crm) => await settings.GetAsync(crm.Session, c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "inboundMessages",
            Description = "The e-mail the tenant received, newest first (one entry per Message-ID however often it was delivered). Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Message)),
            Arguments = new QueryArguments(new QueryArgument(types.Int) { Name = "first", DefaultValue = 50, Description = $"At most {MaxPage}." }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                MessagingAccess.RequireAdmin(crm.Session);
                await using var store = crm.Session.CreateContext();
                return await store.Set<InboundMessageRow>().OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
                    .Take(Math.Clamp(c.GetArgument<int>("first"), 1, MaxPage)).ToListAsync(c.CancellationToken);
            }),
        });
        context.AddAdminMutation("setInboundMailSettings", "Sets what the tenant receives; members left out stay as they are. imapPassword is write-only (an empty string removes it). A domain or address another tenant has is refused (NAME_TAKEN).", graph.Payload,
            new QueryArguments(new QueryArgument(SharedTypes.NonNull(graph.Input)) { Name = "input" }),
            async (c, crm) =>
            {
                var saved = await settings.SetAsync(crm.Session, Input(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken);
                imap.Notify(crm.Session.TenantId);
                return new InboundOutcome(saved, null);
            },
            errors => new InboundOutcome(null, errors));
    }

    private static InboundSettingsInput Input(Dictionary<string, object?> input) => new(
        Strings(input.GetValueOrDefault("domains")),
        Strings(input.GetValueOrDefault("addresses")),
        input.GetValueOrDefault("imapEnabled") as bool?,
        input.GetValueOrDefault("imapHost") as string,
        input.GetValueOrDefault("imapPort") as int?,
        input.GetValueOrDefault("imapTlsMode") as TlsMode?,
        input.GetValueOrDefault("imapUsername") as string,
        input.GetValueOrDefault("imapPassword") as string,
        input.GetValueOrDefault("imapFolder") as string);

    private static List<string>? Strings(object? value) => (value as IEnumerable<object?>)?.Select(v => (string)v!).ToList();
}

/// <summary>What setInboundMailSettings did.</summary>
internal sealed record InboundOutcome(InboundSettingsRow? Settings, IReadOnlyList<Engine.Errors.CrmError>? Errors);
