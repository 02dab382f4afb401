using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Records;

namespace TestPlugins.NotesV2;

/// <summary>
/// Moves each note's 'body' into 'text', two notes a batch, saving the page cursor after each batch
/// so a stopped run resumes there; logs each run it finishes as a noteUpgrade record.
/// </summary>
public sealed class BodyToText : IPluginUpgrade
{
    /// <inheritdoc/>
    public async Task UpgradeAsync(string fromVersion, string toVersion, IUpgradeContext context, CancellationToken cancellationToken)
    {
        var after = context.Checkpoint;
        RecordPage page;
        do
        {
            page = await context.Records.QueryAsync("note", new RecordQuery { First = 2, After = after, OrderBy = [SortBy.Asc("title")] }, cancellationToken);
            foreach (var note in page.Records)
            {
                var outcome = await context.Records.UpdateAsync("note", note.Id, new Dictionary<string, object?> { ["text"] = note["body"], ["body"] = null }, cancellationToken: cancellationToken);
                if (!outcome.Succeeded)
                {
                    throw new InvalidOperationException($"Note {note.Id}: {outcome.Errors[0].Message}");
                }
            }

            after = page.EndCursor ?? after;
            if (after is not null)
            {
                await context.SaveCheckpointAsync(after, cancellationToken);
            }
        }
        while (page.HasMore);

        await context.Records.CreateAsync("noteUpgrade", new Dictionary<string, object?> { ["message"] = $"{fromVersion}>{toVersion}" }, cancellationToken);
    }
}
