using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Knowledge;

/// <summary><c>moveKnowledgeArticle(id, status)</c>: draft → review → published → archived (review → draft sends it back; archived → draft revives it).</summary>
internal sealed class MoveKnowledgeArticle(TimeProvider time) : IPluginOperation
{
    private static readonly Dictionary<string, string[]> Moves = new()
    {
        ["draft"] = ["review"],
        ["review"] = ["draft", "published"],
        ["published"] = ["archived", "draft"],
        ["archived"] = ["draft"],
    };

    public string Name => "moveKnowledgeArticle";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Moves a knowledge article through its workflow: draft → review → published → archived; review → draft sends it back, published → draft withdraws it, archived → draft revives it. Each publication counts a version.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull()), new("status", TypeRef.String.NonNull(), "draft, review, published or archived.")];

    public TypeRef Result => TypeRef.Entity(KnowledgeEntities.Article);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var article = await Writes.ExistingAsync(context, KnowledgeEntities.Article, "id", cancellationToken);
        var to = context.Argument<string>("status") ?? string.Empty;
        var from = article.GetValue<string>("status") ?? "draft";
        if (!Moves.ContainsKey(to))
        {
            throw new OperationException(ServiceErrors.InvalidInput, $"'{to}' is not an article status (draft, review, published, archived).", "status");
        }

        if (!Moves[from].Contains(to))
        {
            throw new OperationException(ServiceErrors.InvalidTransition, $"An article can't move from {from} to {to}; from {from} it can go to {string.Join(", ", Moves[from])}.", "status");
        }

        var values = new FieldValues { ["status"] = to };
        if (to == "published")
        {
            values["publishedVersion"] = (article.GetValue<long?>("publishedVersion") ?? 0) + 1;
            values["publishedAt"] = time.GetUtcNow().UtcDateTime;
        }

        await Writes.RequireAsync(context.PrivilegedRecords.UpdateAsync(KnowledgeEntities.Article, article.Id, values, cancellationToken: cancellationToken));
        return await context.Records.GetAsync(KnowledgeEntities.Article, article.Id, cancellationToken);
    }
}

/// <summary><c>searchKnowledge(text, language, publishedOnly)</c>: articles whose title or text contains the words, Chinese substrings included.</summary>
internal sealed class SearchKnowledge : IPluginOperation
{
    public string Name => "searchKnowledge";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Articles whose title or Markdown contains every word of the text (substrings, so 打印 finds 打印机), title matches first; published ones only unless publishedOnly is false.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("text", TypeRef.String.NonNull()),
        new("language", TypeRef.String, "zh, en, ja or ko; all when omitted."),
        new("publishedOnly", TypeRef.Boolean, "False to search drafts too (agents); true by default."),
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Entity(KnowledgeEntities.Article)).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var words = (context.Argument<string>("text") ?? string.Empty).Split(' ', '\u3000', ',', '，').Where(w => w.Length > 0).ToList();
        if (words.Count == 0 || words.Sum(w => w.Length) > 200)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "Search for 1 to 200 characters of text.", "text");
        }

        return await KnowledgeSearch.FindAsync(context.Records, words, context.Argument<string>("language"), context.Argument<bool?>("publishedOnly") ?? true, cancellationToken);
    }
}

/// <summary>The search both the API and the public help centre use.</summary>
internal static class KnowledgeSearch
{
    public static async Task<List<CrmRecord>> FindAsync(IRecordApi records, IReadOnlyList<string> words, string? language, bool publishedOnly, CancellationToken cancellationToken)
    {
        var where = Condition.All([.. words.Select(w => Condition.Any(Condition.Contains("title", w), Condition.Contains("body", w)))]);
        if (publishedOnly)
        {
            where = where.And(Condition.Eq("status", "published"));
        }

        if (!string.IsNullOrWhiteSpace(language))
        {
            where = where.And(Condition.Eq("language", language));
        }

        var found = await records.FindAsync(KnowledgeEntities.Article, where, 50, cancellationToken);
        return [.. found.OrderByDescending(a => words.Count(w => (a.GetValue<string>("title") ?? string.Empty).Contains(w, StringComparison.OrdinalIgnoreCase))).ThenBy(a => a.GetValue<string>("title"), StringComparer.Ordinal)];
    }
}

/// <summary><c>knowledgeBaseLink</c>: the help-centre link a tenant puts on its website (a signed link, a year long): anyone holding it reads the published articles.</summary>
internal sealed class KnowledgeBaseLink(ILinkSigner links) : IPluginOperation
{
    public const string Purpose = "kb";

    public string Name => "knowledgeBaseLink";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "The path (with its token, valid a year) of the public, read-only help centre: GET it with q= to search published articles, or /p/service/kb/{id} for one article.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    public TypeRef Result => TypeRef.String.NonNull();

    public Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken) =>
        Task.FromResult<object?>("/p/service/kb?token=" + links.Sign(new LinkGrant(context.Identity.TenantId, "service", Purpose, "help-centre"), TimeSpan.FromDays(365)));
}
