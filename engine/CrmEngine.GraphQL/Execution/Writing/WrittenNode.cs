using GraphQL.Execution;

namespace CrmEngine.GraphQL.Execution.Writing;

/// <summary>
/// A field whose whole subtree is written to JSON in one go (<see cref="SelectionWriter"/>) instead
/// of being executed node by node. When writing gives up, it falls back to <see cref="Inner"/>, the
/// node standard execution would have used, and from then on is just that node.
/// </summary>
internal sealed class WrittenNode(ExecutionNode inner, OutputShape shape)
    : ExecutionNode(inner.Parent, inner.GraphType, inner.Field, inner.FieldDefinition, inner.IndexInParentNode), IParentExecutionNode
{
    public ExecutionNode Inner { get; } = inner;

    public OutputShape Shape { get; } = shape;

    /// <summary>True once writing gave up: the inner node is executed and reported instead.</summary>
    public bool FellBack { get; private set; }

    public ExecutionNode FallBack()
    {
        FellBack = true;
        return Inner;
    }

    public override object? ToValue() => FellBack ? Inner.ToValue() : Result;

    public override bool PropagateNull() => FellBack ? Inner.PropagateNull() : Result is null;

    public IEnumerable<ExecutionNode> GetChildNodes() => FellBack && Inner is IParentExecutionNode parent ? parent.GetChildNodes() : [];

    public void ApplyToChildren<TState>(Action<ExecutionNode, TState> action, TState state, bool reverse = false)
    {
        if (FellBack && Inner is IParentExecutionNode parent)
        {
            parent.ApplyToChildren(action, state, reverse);
        }
    }
}
