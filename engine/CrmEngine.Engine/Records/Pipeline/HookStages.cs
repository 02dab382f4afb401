using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// Runs the validate hooks, then the before hooks, that apply to a write, stopping at the first
/// refusal. A hook's typed refusal becomes the write's errors; any other exception becomes
/// PLUGIN_ERROR naming the hook's source, and the write is refused.
/// </summary>
internal static class HookStages
{
    public static async Task RunAsync(IReadOnlyList<IRecordHook> hooks, RecordChange change, CancellationToken cancellationToken)
    {
        var applicable = hooks.Where(h => h.AppliesTo(change)).ToList();
        foreach (var validate in new[] { true, false })
        {
            foreach (var hook in applicable)
            {
                try
                {
                    await (validate ? hook.ValidateAsync(change, cancellationToken) : hook.BeforeAsync(change, cancellationToken));
                }
                catch (CrmException e)
                {
                    change.Errors.AddRange(e.Errors);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    change.Errors.Add(new CrmError(ErrorCodes.PluginError, $"'{hook.Source}' failed while handling this {change.Operation.ToString().ToLowerInvariant()}: {e.Message}"));
                }

                if (change.Rejected)
                {
                    return;
                }
            }
        }
    }
}
