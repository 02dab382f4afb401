using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Tasks;

/// <summary>mutation completeTask(id: ID!): Task</summary>
public sealed class CompleteTask : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "completeTask";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Marks a task done.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Entity("task");

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var id = context.RecordId("id", "task");
        var outcome = await context.Records.UpdateAsync("task", id, new Dictionary<string, object?> { ["status"] = "done" }, cancellationToken: cancellationToken);
        return outcome.Succeeded ? outcome.Record : throw new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, "id");
    }
}

/// <summary>mutation createTaskPair(title: String!): [Task!] — both tasks or neither.</summary>
public sealed class CreateTaskPair : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "createTaskPair";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Creates two tasks in one transaction.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("title", TypeRef.String.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.ListOf(TypeRef.Entity("task"));

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var title = context.Argument<string>("title")!;
        var first = await context.Records.CreateAsync("task", new Dictionary<string, object?> { ["title"] = title + " (1)" }, cancellationToken);
        if (title == "crash")
        {
            throw new InvalidOperationException("crashed after the first write");
        }

        if (title == "refuse")
        {
            throw new OperationException("PAIR_REFUSED", "The second task was refused.", "title");
        }

        var second = await context.Records.CreateAsync("task", new Dictionary<string, object?> { ["title"] = title + " (2)" }, cancellationToken);
        return new[] { first.Record, second.Record };
    }
}

/// <summary>query taskSummary: TaskSummary — an object result type.</summary>
public sealed class TaskSummary : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "taskSummary";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "Counts tasks by status.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        // A list of non-null items, as a plugin may declare it: [String!].
        new("except", TypeRef.ListOf(TypeRef.String.NonNull()), "Leave out open tasks with these titles."),
    ];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Object("TaskSummary",
        new FieldRef("open", TypeRef.Int.NonNull()),
        new FieldRef("done", TypeRef.Int.NonNull()),
        new FieldRef("openTitles", TypeRef.ListOf(TypeRef.String).NonNull())).NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var except = context.Arguments.GetValueOrDefault("except") is IEnumerable<object?> titles ? titles.OfType<string>().ToHashSet() : [];
        var open = await context.Records.FindAsync("task", Condition.Eq("status", "open"), 500, cancellationToken);
        var done = await context.Records.FindAsync("task", Condition.Eq("status", "done"), 500, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["open"] = open.Count,
            ["done"] = done.Count,
            ["openTitles"] = open.Select(t => t.GetValue<string>("title")).Where(t => t is null || !except.Contains(t)).ToList(),
        };
    }
}

/// <summary>query explodingReport: String — always fails, to show how a failing query is reported.</summary>
public sealed class ExplodingReport : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "explodingReport";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "Always fails.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.String;

    /// <inheritdoc/>
    public Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("SECRET report detail: connection string Host=db;Password=hunter2");
}
