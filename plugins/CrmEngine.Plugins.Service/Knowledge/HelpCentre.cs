using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Knowledge;

/// <summary>
/// The public help centre, read-only: whoever holds the tenant's help-centre link (knowledgeBaseLink)
/// searches its published articles. It reads with the plugin's privileges but only ever published
/// articles, so drafts, articles in review and archived ones don't exist here.
/// </summary>
internal sealed class HelpCentreSearch : IPublicEndpoint
{
    public EndpointMethod Method => EndpointMethod.Get;

    public string Route => "kb";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(KnowledgeBaseLink.Purpose);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var words = (context.Query.GetValueOrDefault("q") ?? string.Empty).Split(' ', '\u3000').Where(w => w.Length > 0).Take(10).ToList();
        var articles = words.Count == 0
            ? await context.PrivilegedRecords.FindAsync(KnowledgeEntities.Article, Condition.Eq("status", "published"), 50, cancellationToken)
            : await KnowledgeSearch.FindAsync(context.PrivilegedRecords, words, context.Query.GetValueOrDefault("language"), publishedOnly: true, cancellationToken);
        return EndpointResponse.Json(articles.Select(a => new Dictionary<string, object?>
        {
            ["id"] = a.Id,
            ["title"] = a.GetValue<string>("title"),
            ["language"] = a.GetValue<string>("language"),
            ["category"] = a.GetValue<string>("category"),
        }).ToList());
    }
}

/// <summary>One published article of the help centre, as sanitized HTML; each read counts a view.</summary>
internal sealed class HelpCentreArticle : IPublicEndpoint
{
    public EndpointMethod Method => EndpointMethod.Get;

    public string Route => "kb/{id}";

    public EndpointAccess Access { get; } = EndpointAccess.SignedLink(KnowledgeBaseLink.Purpose);

    public async Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken)
    {
        var article = Guid.TryParse(context.RouteValues.GetValueOrDefault("id"), out var id)
            ? await context.PrivilegedRecords.GetAsync(KnowledgeEntities.Article, id, cancellationToken)
            : null;
        if (article is null || article.GetValue<string>("status") != "published")
        {
            throw new OperationException(ServiceErrors.NotFound, "There is no published article with that id.", "id");
        }

        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(KnowledgeEntities.Article, article.Id, new FieldValues { ["views"] = (article.GetValue<long?>("views") ?? 0) + 1 }, cancellationToken: cancellationToken));
        var title = System.Net.WebUtility.HtmlEncode(article.GetValue<string>("title"));
        return EndpointResponse.Html($"<!DOCTYPE html><html lang=\"{article.GetValue<string>("language")}\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><article><h1>{title}</h1>{article.GetValue<string>("bodyHtml")}</article></body></html>");
    }
}
