using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Records;
using GraphQL;
using GraphQL.Execution;

namespace CrmEngine.GraphQL.Subscriptions;

/// <summary>
/// Runs subscriptions: each event's selection runs as the subscriber is at delivery time, with a
/// session and batch loader of its own (<see cref="SubscriptionEvent"/>), so lookups read through it
/// are filtered by the subscriber's current rights and never served from an earlier event's reads.
/// Subscribers that share an event (the same user and roles) and sent the same document without
/// variables share its result: the selection runs once, and the transport writes it once.
/// </summary>
public sealed class CrmSubscriptionStrategy(IExecutionStrategy child, RecordReader reader) : SubscriptionExecutionStrategy(child)
{
    protected override ValueTask<ExecutionResult> ProcessDataAsync(global::GraphQL.Execution.ExecutionContext context, ExecutionNode node, object? value)
    {
        if (value is not SubscriptionEvent change)
        {
            return base.ProcessDataAsync(context, node, value);
        }

        var locale = (context.UserContext as CrmUserContext)?.Locale;
        context.UserContext = new CrmUserContext(change.Session, locale, new RecordLoader(reader, change.Session));
        if (context.Variables.Any() || context.Document.Source.IsEmpty)
        {
            return base.ProcessDataAsync(context, node, change.Entry);
        }

        var key = (context.Document.Source.ToString(), context.Operation.Name?.StringValue, locale);
        return new ValueTask<ExecutionResult>(change.Results.GetOrAdd(key, _ => new Lazy<Task<ExecutionResult>>(() => base.ProcessDataAsync(context, node, change.Entry).AsTask())).Value);
    }
}
