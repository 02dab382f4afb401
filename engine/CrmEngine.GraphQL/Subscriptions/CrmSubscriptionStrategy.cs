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
/// </summary>
public sealed class CrmSubscriptionStrategy(IExecutionStrategy child, RecordReader reader) : SubscriptionExecutionStrategy(child)
{
    protected override ValueTask<ExecutionResult> ProcessDataAsync(global::GraphQL.Execution.ExecutionContext context, ExecutionNode node, object? value)
    {
        if (value is SubscriptionEvent change)
        {
            var locale = (context.UserContext as CrmUserContext)?.Locale;
            context.UserContext = new CrmUserContext(change.Session, locale, new RecordLoader(reader, change.Session));
            value = change.Entry;
        }

        return base.ProcessDataAsync(context, node, value);
    }
}
