using CrmEngine.Sdk.Operations;

namespace Company.CrmPlugin;

/// <summary>A mutation of the plugin's own: adds an urgent task (priority 1) in one call.</summary>
public sealed class AddUrgentTask : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "vendorprefixAddUrgentTask";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Adds a task with the highest priority.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("title", TypeRef.String.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Entity(TasksPlugin.Task);

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object?> { ["title"] = context.Arguments["title"], ["priority"] = 1L };
        var outcome = await context.Records.CreateAsync(TasksPlugin.Task, values, cancellationToken: cancellationToken);
        return outcome.Succeeded ? outcome.Record : throw new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, outcome.Errors[0].Field);
    }
}
