using System.Text.RegularExpressions;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Tasks;

/// <summary>Tidies titles and gives tasks a default priority: a before hook that changes the record.</summary>
public sealed partial class TaskDefaults : IBeforeRecordHook
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <inheritdoc/>
    public string Entity => "task";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    /// <inheritdoc/>
    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("title") is string title)
        {
            record.SetValue("title", Spaces().Replace(title.Trim(), " "));
        }

        if (record.Operation == RecordOperations.Create && record.GetValue("priority") is null)
        {
            record.SetValue("priority", 3);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Refuses forbidden words in titles: a validator that rejects with a field error (and throws for one title, to show how a failing validator is reported).</summary>
public sealed class ForbiddenWords : IRecordValidator
{
    /// <inheritdoc/>
    public string Entity => "task";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    /// <inheritdoc/>
    public Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.GetValue("title") is string title && title.Contains("forbidden", StringComparison.OrdinalIgnoreCase))
        {
            record.Reject("Task titles may not say 'forbidden'.", "title");
        }

        return record.GetValue("title") as string == "validator boom" ? throw new InvalidOperationException("SECRET validator detail: word list at /etc/tasks/words.txt") : Task.CompletedTask;
    }
}

/// <summary>Throws for one title, to show a failing hook fails only its own write.</summary>
public sealed class Exploder : IBeforeRecordHook
{
    /// <inheritdoc/>
    public string Entity => "task";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Create;

    /// <inheritdoc/>
    public int Order => 10;

    /// <inheritdoc/>
    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) =>
        record.GetValue("title") as string == "boom" ? throw new InvalidOperationException("the exploder exploded") : Task.CompletedTask;
}

/// <summary>Logs completed tasks after commit: an after hook writing through the record API (it throws for a task titled "after boom").</summary>
public sealed class CompletionLog : IAfterRecordHook
{
    /// <inheritdoc/>
    public string Entity => "task";

    /// <inheritdoc/>
    public RecordOperations Operations => RecordOperations.Update;

    /// <inheritdoc/>
    public async Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken)
    {
        if (change.Changes.Any(c => c.Field == "status" && c.New == "\"done\""))
        {
            if ((await change.Records.GetAsync("task", change.RecordId, cancellationToken))?.GetValue<string>("title") == "after boom")
            {
                throw new InvalidOperationException("SECRET after-hook detail: mail server 10.0.0.7 refused");
            }

            var outcome = await change.Records.CreateAsync("taskEvent", new Dictionary<string, object?> { ["message"] = "completed", ["task"] = change.RecordId }, cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException(outcome.Errors[0].Message);
            }
        }
    }
}
