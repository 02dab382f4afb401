using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Knowledge;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Diagnosis;

/// <summary>Where a walk stands, as startDiagnosis and answerDiagnosis return it: the question to ask and its answers, or the solution reached.</summary>
internal static class DiagnosisStep
{
    public static readonly TypeRef Type = TypeRef.Object("DiagnosisStep",
        new FieldRef("diagnosis", TypeRef.Entity(DiagnosisEntities.Walk).NonNull(), "The walk, with the path taken so far."),
        new FieldRef("question", TypeRef.String, "The question to ask now; null once a solution is reached."),
        new FieldRef("answers", TypeRef.ListOf(TypeRef.String.NonNull()).NonNull(), "The answers to pick from (answerDiagnosis)."),
        new FieldRef("solution", TypeRef.Entity(KnowledgeEntities.Article), "The solution article, once reached."));

    public static async Task<object?> OfAsync(IOperationContext context, Guid walkId, CancellationToken cancellationToken)
    {
        var walk = (await context.Records.GetAsync(DiagnosisEntities.Walk, walkId, cancellationToken))!;
        var tree = await TreeAsync(context, walk, cancellationToken);
        var question = tree.Question(walk.GetValue<string>("currentQuestion"));
        return new Dictionary<string, object?>
        {
            ["diagnosis"] = walk,
            ["question"] = question?.Text,
            ["answers"] = question?.Answers.Select(a => a.Text).ToList() ?? [],
            ["solution"] = walk.GetValue("solutionArticle") is Guid article ? await context.Records.GetAsync(KnowledgeEntities.Article, article, cancellationToken) : null,
        };
    }

    public static async Task<DiagnosisTree> TreeAsync(IOperationContext context, CrmRecord walk, CancellationToken cancellationToken)
    {
        var tree = await context.PrivilegedRecords.GetAsync(DiagnosisEntities.Tree, walk.GetValue<Guid>("tree"), cancellationToken);
        return DiagnosisTree.FromJson(tree?.GetValue<string>("definition") ?? throw new OperationException(ServiceErrors.NotFound, "The diagnosis tree is gone.", "id"));
    }

    public static void RefuseClosed(CrmRecord @case, string argument)
    {
        if (@case.GetValue<string>("status") == CaseLifecycle.Closed)
        {
            throw new OperationException(ServiceErrors.CaseClosed, $"Case {@case.GetValue<string>("number")} is closed.", argument);
        }
    }
}

/// <summary><c>startDiagnosis(caseId, treeId)</c>: starts walking a tree for a case, at its first question.</summary>
internal sealed class StartDiagnosis(TimeProvider time) : IPluginOperation
{
    public string Name => "startDiagnosis";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Starts a guided diagnosis of a case with a troubleshooting tree: returns the first question and its answers.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("caseId", TypeRef.Id.NonNull()), new("treeId", TypeRef.Id.NonNull())];

    public TypeRef Result => DiagnosisStep.Type;

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var @case = await Writes.ExistingAsync(context, CaseEntity.Name, "caseId", cancellationToken);
        var tree = await Writes.ExistingAsync(context, DiagnosisEntities.Tree, "treeId", cancellationToken);
        DiagnosisStep.RefuseClosed(@case, "caseId");
        var walk = await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(DiagnosisEntities.Walk, new FieldValues
        {
            ["case"] = @case.Id,
            ["tree"] = tree.Id,
            ["currentQuestion"] = tree.GetValue<string>("startQuestion"),
            ["startedAt"] = time.GetUtcNow().UtcDateTime,
        }, cancellationToken));
        return await DiagnosisStep.OfAsync(context, walk.Id, cancellationToken);
    }
}

/// <summary>
/// <c>answerDiagnosis(id, answer)</c>: the customer's answer to the current question. The path grows
/// by "question → answer"; an answer that leads to an article ends the walk: the article becomes the
/// case's solution and the whole path is logged on the case as a note.
/// </summary>
internal sealed class AnswerDiagnosis(TimeProvider time) : IPluginOperation
{
    public string Name => "answerDiagnosis";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Gives the answer to a diagnosis's current question (one of its answers, as written): returns the next question, or the solution article, which is linked to the case with the path logged on it.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The diagnosis."), new("answer", TypeRef.String.NonNull(), "One of the current question's answers.")];

    public TypeRef Result => DiagnosisStep.Type;

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var walk = await Writes.ExistingAsync(context, DiagnosisEntities.Walk, "id", cancellationToken);
        if (walk.GetValue<string>("status") != "inProgress")
        {
            throw new OperationException(ServiceErrors.DiagnosisFinished, "This diagnosis has reached its solution; start another to walk the tree again.", "id");
        }

        var records = context.PrivilegedRecords;
        var @case = (await records.GetAsync(CaseEntity.Name, walk.GetValue<Guid>("case"), cancellationToken))!;
        DiagnosisStep.RefuseClosed(@case, "id");
        var question = (await DiagnosisStep.TreeAsync(context, walk, cancellationToken)).Question(walk.GetValue<string>("currentQuestion"))
            ?? throw new OperationException(ServiceErrors.InvalidTransition, "The tree was changed under this diagnosis; start it again.", "id");
        var given = context.Argument<string>("answer")?.Trim();
        var answer = question.Answers.FirstOrDefault(a => a.Text == given)
            ?? throw new OperationException(ServiceErrors.InvalidInput, $"'{given}' is not an answer to \"{question.Text}\" ({string.Join(", ", question.Answers.Select(a => a.Text))}).", "answer");

        var path = string.Concat(walk.GetValue<string>("path"), $"{question.Text} → {answer.Text}\n");
        var now = time.GetUtcNow().UtcDateTime;
        var values = new FieldValues { ["path"] = path, ["steps"] = (walk.GetValue<long?>("steps") ?? 0) + 1, ["currentQuestion"] = answer.Next };
        if (answer.Article is { } article)
        {
            values["status"] = "solved";
            values["solutionArticle"] = article;
            values["finishedAt"] = now;
            await Writes.RequireAsync(records.UpdateAsync(CaseEntity.Name, @case.Id, new FieldValues { ["solutionArticle"] = article }, cancellationToken: cancellationToken));
            var articleTitle = (await records.GetAsync(KnowledgeEntities.Article, article, cancellationToken))?.GetValue<string>("title");
            await Writes.RequireAsync(records.CreateAsync(CaseMessageEntity.Name, new FieldValues { ["case"] = @case.Id, ["direction"] = "note", ["subject"] = $"诊断 / Diagnosis: {articleTitle}", ["body"] = path, ["at"] = now }, cancellationToken));
        }

        await Writes.RequireAsync(records.UpdateAsync(DiagnosisEntities.Walk, walk.Id, values, walk.Version, cancellationToken));
        return await DiagnosisStep.OfAsync(context, walk.Id, cancellationToken);
    }
}
