using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Records;
using Microsoft.Extensions.Logging;

namespace Company.CrmPlugin;

/// <summary>Before a task is stored: gives it a priority when it has none, and refuses a blank title.</summary>
/// <param name="logger">The host's logging (hooks, operations and jobs take services in their constructors).</param>
public sealed partial class TaskDefaults(ILogger<TaskDefaults> logger) : IBeforeRecordHook
{
    /// <inheritdoc/>
    public string Entity => TasksPlugin.Task;

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    /// <inheritdoc/>
    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.Operation == RecordOperations.Create && record.GetValue("priority") is null)
        {
            record.SetValue("priority", 3L);
            LogDefaultPriority(logger, 3);
        }

        if (record.GetValue("title") is string title && string.IsNullOrWhiteSpace(title))
        {
            record.Reject("A task needs a title.", "title");
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A new task got the default priority {Priority}.")]
    private static partial void LogDefaultPriority(ILogger logger, int priority);
}
