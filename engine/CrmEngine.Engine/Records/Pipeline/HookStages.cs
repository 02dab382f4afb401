using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>The hook stages of a write, in the order they run.</summary>
internal enum HookStage
{
    Validate,
    Before,
}

/// <summary>
/// Runs the validate hooks, or the before hooks, that apply to a write, stopping at the first
/// refusal. A hook's typed refusal becomes the write's errors; any other exception becomes
/// PLUGIN_ERROR naming the hook's source, and the write is refused. Each hook runs in its own span
/// (<c>crm.hook</c>, tagged with its source), so a trace shows which plugin or rule set took the time.
/// </summary>
internal static class HookStages
{
    /// <summary>The hooks that apply to <paramref name="change"/>, in their order.</summary>
    public static List<IRecordHook> Applicable(IReadOnlyList<IRecordHook> hooks, RecordChange change) => hooks.Where(h => h.AppliesTo(change)).ToList();

    /// <summary>Both stages: the validate hooks, then, unless one refused, the before hooks.</summary>
    public static async Task RunAsync(IReadOnlyList<IRecordHook> hooks, RecordChange change, CancellationToken cancellationToken)
    {
        var applicable = Applicable(hooks, change);
        await RunAsync(applicable, HookStage.Validate, change, cancellationToken);
        if (!change.Rejected)
        {
            await RunAsync(applicable, HookStage.Before, change, cancellationToken);
        }
    }

    public static async Task RunAsync(List<IRecordHook> applicable, HookStage stage, RecordChange change, CancellationToken cancellationToken)
    {
        foreach (var hook in applicable)
        {
            using var activity = CrmTelemetry.Source.StartActivity(stage == HookStage.Validate ? "crm.hook.validate" : "crm.hook.before");
            activity?.SetTag(CrmTelemetry.HookSourceTag, hook.Source);
            try
            {
                await (stage == HookStage.Validate ? hook.ValidateAsync(change, cancellationToken) : hook.BeforeAsync(change, cancellationToken));
            }
            catch (CrmException e)
            {
                change.Errors.AddRange(e.Errors);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                CrmTelemetry.Failed(activity, e);
                change.Errors.Add(new CrmError(ErrorCodes.PluginError, $"'{hook.Source}' failed while handling this {change.Operation.ToString().ToLowerInvariant()}: {e.Message}"));
            }

            if (change.Rejected)
            {
                CrmTelemetry.Refused(activity, change.Errors[0].Code);
                return;
            }
        }
    }
}
