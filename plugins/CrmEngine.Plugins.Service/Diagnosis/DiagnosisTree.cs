using System.Text.Json;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Diagnosis;

/// <summary>An answer to a question: it leads to the next question (its key) or to a solution article.</summary>
internal sealed record DiagnosisAnswer(string Text, string? Next, Guid? Article);

/// <summary>A question of a tree, known by its key, with the answers an agent can pick.</summary>
internal sealed record DiagnosisQuestion(string Key, string Text, IReadOnlyList<DiagnosisAnswer> Answers);

/// <summary>
/// A troubleshooting tree as data, and the rules a saved one keeps: every question has answers, every
/// answer leads somewhere that exists (a question of the tree or an article), no path comes back to a
/// question already asked (an agent's walk always ends), and every question can be reached from the
/// first one.
/// </summary>
internal sealed record DiagnosisTree(string Start, IReadOnlyList<DiagnosisQuestion> Questions)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The question with <paramref name="key"/>, or null.</summary>
    public DiagnosisQuestion? Question(string? key) => Questions.FirstOrDefault(q => q.Key == key);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DiagnosisTree FromJson(string json) => JsonSerializer.Deserialize<DiagnosisTree>(json, Json)!;

    /// <summary>Refuses (typed, naming the question and answer) a tree that breaks a rule; <paramref name="articleExists"/> says which articles are there.</summary>
    public void Validate(Func<Guid, bool> articleExists)
    {
        var keys = Questions.Select(q => q.Key).ToList();
        if (keys.Count == 0 || keys.Any(string.IsNullOrWhiteSpace) || keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "A tree has at least one question, each with a key of its own.", "questions");
        }

        if (Question(Start) is null)
        {
            throw new OperationException(ServiceErrors.InvalidInput, $"The first question '{Start}' is not a question of the tree.", "start");
        }

        foreach (var question in Questions)
        {
            if (question.Answers.Count == 0)
            {
                throw new OperationException(ServiceErrors.TreeDeadEnd, $"Question '{question.Key}' has no answers.", "questions");
            }

            if (question.Answers.Select(a => a.Text).Distinct(StringComparer.Ordinal).Count() != question.Answers.Count)
            {
                throw new OperationException(ServiceErrors.InvalidInput, $"Question '{question.Key}' offers the same answer twice.", "questions");
            }

            foreach (var answer in question.Answers)
            {
                var where = $"Question '{question.Key}', answer '{answer.Text}'";
                var why = (answer.Next, answer.Article) switch
                {
                    (null, null) => "leads nowhere (give a next question or a solution article)",
                    (not null, not null) => "leads both to a question and to an article",
                    (string next, _) when Question(next) is null => $"leads to '{next}', which is not a question of the tree",
                    (_, Guid article) when !articleExists(article) => "leads to an article that doesn't exist",
                    _ => null,
                };
                if (why is not null)
                {
                    throw new OperationException(ServiceErrors.TreeDeadEnd, $"{where} {why}.", "questions");
                }
            }
        }

        var reached = new HashSet<string>(StringComparer.Ordinal);
        Visit(Start, [], reached);
        if (keys.FirstOrDefault(k => !reached.Contains(k)) is { } lost)
        {
            throw new OperationException(ServiceErrors.TreeUnreachable, $"No answer leads to question '{lost}' from the first question '{Start}'.", "questions");
        }
    }

    /// <summary>Depth first from <paramref name="key"/>; <paramref name="path"/> is the way there, so a next question on it is a cycle.</summary>
    private void Visit(string key, List<string> path, HashSet<string> reached)
    {
        if (path.Contains(key))
        {
            throw new OperationException(ServiceErrors.TreeCycle, $"The answers lead round in a circle: {string.Join(" → ", path.SkipWhile(k => k != key).Append(key))}.", "questions");
        }

        if (!reached.Add(key))
        {
            // Reached before by another way (not on this path): what lies below it was checked then.
            return;
        }

        path.Add(key);
        foreach (var next in Question(key)!.Answers.Select(a => a.Next).OfType<string>())
        {
            Visit(next, path, reached);
        }

        path.RemoveAt(path.Count - 1);
    }
}
