using CrmEngine.Plugins.Service.Routing;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Knowledge;

/// <summary>知识库: articles written in Markdown, rendered to sanitized HTML, reviewed and published.</summary>
internal static class KnowledgeEntities
{
    public const string Article = "knowledgeArticle";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Article, e => e
        .Label("Knowledge article", "知识库文章")
        .Description("A how-to or answer, written in Markdown, published for agents and self-service.", "以 Markdown 撰写的解答或操作指南，发布后供客服与客户自助查阅。")
        .Text("title", f => f.Label("Title", "标题").Required().MaxLength(200).Searchable())
        .LongText("body", f => f.Label("Text (Markdown)", "正文（Markdown）").Required())
        .LongText("bodyHtml", f => f.Label("Text (HTML, sanitized)", "正文（HTML，已净化）"))
        .Picklist("language", f => f.Label("Language", "语言").Languages().Default("zh"))
        .Lookup("translationOf", Article, f => f.Label("Translation of", "译自").Inverse("translations"))
        .Text("category", f => f.Label("Category", "分类").MaxLength(100).Indexed())
        .Text("tags", f => f.Label("Tags (comma-separated)", "标签（逗号分隔）").MaxLength(500))
        .Picklist("status", f => f.Label("Status", "状态")
            .Option("draft", "Draft", "草稿").Option("review", "In review", "审核中").Option("published", "Published", "已发布").Option("archived", "Archived", "已归档")
            .Default("draft").Indexed())
        .Integer("publishedVersion", f => f.Label("Published version", "发布版本").Default("0"))
        .DateTime("publishedAt", f => f.Label("Published", "发布时间"))
        .Integer("views", f => f.Label("Public views", "公开浏览次数").Default("0")));
}
