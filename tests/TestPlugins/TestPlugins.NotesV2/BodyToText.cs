using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Records;

namespace TestPlugins.NotesV2;

/// <summary>
/// Moves each note's 'body' into 'text', two notes a batch, saving the page cursor after each batch
/// so a stopped run resumes there; logs each run it finishes as a noteUpgrade record saying how many
/// notes that run moved. A note whose body is "crash once" stops the first run that meets it (as a
/// host dying mid-upgrade would), after logging "crashed"; later runs pass it.
/// </summary>
public sealed class BodyToText : IPluginUpgrade
{
    /// <summary>The body that stops the first run meeting it.</summary>
    public const string CrashOnce = "crash once";

    /// <inheritdoc/>
    public async Task UpgradeAsync(string fromVersion, string toVersion, IUpgradeContext context, CancellationToken cancellationToken)
    {
        var after = context.Checkpoint;
        var moved = 0;
        RecordPage page;
        do
        {
            page = await context.Records.QueryAsync("note", new RecordQuery { First = 2, After = after, OrderBy = [SortBy.Asc("title")] }, cancellationToken);
            foreach (var note in page.Records)
            {
                if (Equals(note["body"], CrashOnce) && !await CrashedBeforeAsync(context, cancellationToken))
                {
                    await context.Records.CreateAsync("noteUpgrade", new Dictionary<string, object?> { ["message"] = "crashed" }, cancellationToken);
                    throw new InvalidOperationException("The upgrade stopped half-way.");
                }

                var outcome = await context.Records.UpdateAsync("note", note.Id, new Dictionary<string, object?> { ["text"] = note["body"], ["body"] = null }, cancellationToken: cancellationToken);
                if (!outcome.Succeeded)
                {
                    throw new InvalidOperationException($"Note {note.Id}: {outcome.Errors[0].Message}");
                }

                moved++;
            }

            after = page.EndCursor ?? after;
            if (after is not null)
            {
                await context.SaveCheckpointAsync(after, cancellationToken);
            }
        }
        while (page.HasMore);

        await context.Records.CreateAsync("noteUpgrade", new Dictionary<string, object?> { ["message"] = $"{fromVersion}>{toVersion} moved {moved}" }, cancellationToken);
    }

    private static async Task<bool> CrashedBeforeAsync(IUpgradeContext context, CancellationToken cancellationToken) =>
        await context.Records.CountAsync("noteUpgrade", Condition.Eq("message", "crashed"), cancellationToken) > 0;
}

/// <summary>How many notes there are: plugin code that must not run on a tenant whose upgrade to this version hasn't finished.</summary>
public sealed class NoteCount : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "noteCount";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "How many notes there are.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Int.NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken) =>
        (int)await context.Records.CountAsync("note", cancellationToken: cancellationToken);
}
