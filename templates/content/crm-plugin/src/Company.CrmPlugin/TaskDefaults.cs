using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Records;

namespace Company.CrmPlugin;

/// <summary>Before a task is stored: gives it a priority when it has none, and refuses a blank title.</summary>
public sealed class TaskDefaults : IBeforeRecordHook
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
        }

        if (record.GetValue("title") is string title && string.IsNullOrWhiteSpace(title))
        {
            record.Reject("A task needs a title.", "title");
        }

        return Task.CompletedTask;
    }
}
