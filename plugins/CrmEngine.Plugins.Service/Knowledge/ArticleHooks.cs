using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;
using Ganss.Xss;
using Markdig;

namespace CrmEngine.Plugins.Service.Knowledge;

/// <summary>
/// Renders an article's Markdown to HTML and sanitizes it (a script, an event handler or a
/// <c>javascript:</c> link in the Markdown never reaches a reader), and keeps the workflow fields
/// (status, version, publishedAt, views) in the module's hands.
/// </summary>
internal sealed class ArticleHooks : IBeforeRecordHook
{
    private static readonly ManagedFields Managed = new(
        ["bodyHtml", "status", "publishedVersion", "publishedAt", "views"],
        new Dictionary<string, object> { ["status"] = "draft", ["publishedVersion"] = 0L, ["views"] = 0L });

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public string Entity => KnowledgeEntities.Article;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (Managed.WrittenDirectly(record) is { } field)
        {
            throw new OperationException(ServiceErrors.StatusByOperation, $"An article's {field} is set by the knowledge base (moveKnowledgeArticle renders, publishes and archives).", field);
        }

        if (record.IsChanging("body"))
        {
            record.SetValue("bodyHtml", Render(record.GetValue("body") as string ?? string.Empty));
        }

        return Task.CompletedTask;
    }

    /// <summary>Markdown to HTML, sanitized with HtmlSanitizer's defaults (what a browser may safely show).</summary>
    public static string Render(string markdown) => new HtmlSanitizer().Sanitize(Markdig.Markdown.ToHtml(markdown, Markdown));
}
