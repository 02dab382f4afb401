using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Email;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Capture;

/// <summary>
/// A visitor token: a signed link of purpose <c>event</c> about one known person (its subject is
/// <c>lead:&lt;id&gt;</c> or <c>contact:&lt;id&gt;</c>), valid a year, which the events endpoint takes as
/// the person the events are about. The host refuses an altered or expired one before the endpoint runs.
/// </summary>
internal static class VisitorToken
{
    public const string Purpose = "event";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    public static readonly string[] People = ["lead", "contact"];

    /// <summary>The events endpoint's address with a token about the person.</summary>
    public static string EventsUrl(ILinkSigner links, ICrmIdentity identity, string baseUrl, string entity, Guid id) =>
        $"{baseUrl.TrimEnd('/')}/p/{Mailing.Plugin}/event?token=" + links.Sign(new LinkGrant(identity.TenantId, Mailing.Plugin, Purpose, $"{entity}:{id}"), Lifetime);

    /// <summary>The person a verified token names; null when its subject is not one.</summary>
    public static (string Entity, Guid Id)? Person(LinkGrant? link) =>
        link?.Subject.Split(':') is [var entity, var id] && People.Contains(entity) && Guid.TryParse(id, out var guid) ? (entity, guid) : null;
}

/// <summary>
/// <c>visitorToken(leadId | contactId)</c>: the events endpoint's address for one known person, for a
/// website that knows who its visitor is (after a tracked click or a form, or a signed-in customer)
/// to report their page visits and events.
/// </summary>
internal sealed class VisitorTokenLink(ILinkSigner links) : IPluginOperation
{
    public string Name => "visitorEventsUrl";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The signed address (a year long) to which a website posts a known lead's or contact's page visits and custom events.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("leadId", TypeRef.Id), new("contactId", TypeRef.Id)];

    public TypeRef Result => TypeRef.String.NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var given = VisitorToken.People.Where(e => context.Arguments.GetValueOrDefault(e + "Id") is not null).ToList();
        if (given.Count != 1)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Name exactly one lead or contact.", "leadId");
        }

        var entity = given[0];
        var person = await Writes.ExistingAsync(context.Records, entity, context.RecordId(entity + "Id", entity), entity + "Id", cancellationToken);
        var baseUrl = await context.Settings.GetAsync<string>("trackingBaseUrl", cancellationToken) ?? string.Empty;
        return VisitorToken.EventsUrl(links, context.Identity, baseUrl, entity, person.Id);
    }
}
