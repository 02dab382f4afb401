using System.Buffers.Text;
using System.Text;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Knowledge;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Diagnosis;

/// <summary>
/// <c>saveDiagnosisTree(id, name, description, productId, start, questions)</c>: creates a tree, or
/// replaces one's questions, after checking it (<see cref="DiagnosisTree.Validate"/>); a tree that
/// breaks a rule is refused with a typed code and nothing is written.
/// </summary>
internal sealed class SaveDiagnosisTree : IPluginOperation
{
    public string Name => "saveDiagnosisTree";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Saves a troubleshooting tree (a new one without id): questions with keys, each answer leading to a next question (its key) or to a solution article. Refused when an answer leads nowhere, the answers go round in a circle, or a question can't be reached from the first.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id, "The tree to change; a new tree when omitted."),
        new("name", TypeRef.String.NonNull()),
        new("description", TypeRef.String),
        new("productId", TypeRef.Id, "The product it diagnoses."),
        new("start", TypeRef.String.NonNull(), "The key of the first question."),
        new("questions", TypeRef.ListOf(TypeRef.Input("DiagnosisQuestionInput",
            new FieldRef("key", TypeRef.String.NonNull(), "How answers name it."),
            new FieldRef("text", TypeRef.String.NonNull(), "What the agent asks."),
            new FieldRef("answers", TypeRef.ListOf(TypeRef.Input("DiagnosisAnswerInput",
                new FieldRef("text", TypeRef.String.NonNull()),
                new FieldRef("next", TypeRef.String, "The key of the question it leads to."),
                new FieldRef("articleId", TypeRef.Id, "Or the knowledge article that solves it."))).NonNull())).NonNull()).NonNull()),
    ];

    public TypeRef Result => TypeRef.Entity(DiagnosisEntities.Tree);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var tree = new DiagnosisTree(
            (context.Argument<string>("start") ?? string.Empty).Trim(),
            [.. Maps(context.Arguments.GetValueOrDefault("questions")).Select(q => new DiagnosisQuestion(
                Text(q, "key") ?? string.Empty,
                Text(q, "text") ?? throw new OperationException(ServiceErrors.InvalidInput, "Every question has a text.", "questions"),
                [.. Maps(q.GetValueOrDefault("answers")).Select(a => new DiagnosisAnswer(
                    Text(a, "text") ?? throw new OperationException(ServiceErrors.InvalidInput, "Every answer has a text.", "questions"),
                    Text(a, "next"),
                    ArticleId(Text(a, "articleId"))))]))]);
        var articles = new HashSet<Guid>();
        foreach (var id in tree.Questions.SelectMany(q => q.Answers).Select(a => a.Article).OfType<Guid>().Distinct())
        {
            if (await context.Records.GetAsync(KnowledgeEntities.Article, id, cancellationToken) is not null)
            {
                articles.Add(id);
            }
        }

        tree.Validate(articles.Contains);
        var values = new FieldValues
        {
            ["name"] = context.Argument<string>("name"),
            ["description"] = context.Argument<string>("description"),
            ["product"] = context.Arguments.GetValueOrDefault("productId") is string { Length: > 0 } ? context.RecordId("productId", "product") : null,
            ["startQuestion"] = tree.Start,
            ["definition"] = tree.ToJson(),
            ["questionCount"] = (long)tree.Questions.Count,
        };
        var saved = context.Arguments.GetValueOrDefault("id") is string { Length: > 0 }
            ? await Writes.RequireAsync(context.Records.UpdateAsync(DiagnosisEntities.Tree, (await Writes.ExistingAsync(context, DiagnosisEntities.Tree, "id", cancellationToken)).Id, values, cancellationToken: cancellationToken))
            : await Writes.RequireAsync(context.Records.CreateAsync(DiagnosisEntities.Tree, values, cancellationToken));
        return await context.Records.GetAsync(DiagnosisEntities.Tree, saved.Id, cancellationToken);
    }

    private static IEnumerable<IReadOnlyDictionary<string, object?>> Maps(object? list) =>
        (list as IEnumerable<object?> ?? []).Select(i => i as IReadOnlyDictionary<string, object?> ?? ((IDictionary<string, object?>)i!).ToDictionary(p => p.Key, p => p.Value));

    private static string? Text(IReadOnlyDictionary<string, object?> input, string name) =>
        input.GetValueOrDefault(name) is string text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    /// <summary>An article's id as answers give it: a UUID, or the global id the API shows (checked by encoding it again).</summary>
    private static Guid? ArticleId(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (Guid.TryParse(value, out var id))
        {
            return id;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
            if (text.StartsWith(KnowledgeEntities.Article + ":", StringComparison.Ordinal) && Guid.TryParseExact(text[(KnowledgeEntities.Article.Length + 1)..], "N", out id) && RecordIds.GlobalId(KnowledgeEntities.Article, id) == value)
            {
                return id;
            }
        }
        catch (FormatException)
        {
        }

        throw new OperationException(ServiceErrors.InvalidId, $"'{value}' is not the id of a knowledge article.", "questions");
    }
}
