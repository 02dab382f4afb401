using System.Collections.Concurrent;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Engine.Errors;
using CrmEngine.PluginHost.Loading;
using CrmEngine.Sdk.Operations;
using GraphQL;
using Microsoft.Extensions.Logging;

namespace CrmEngine.PluginHost.Failures;

/// <summary>
/// Reports a plugin's failure: an exception from its hook (any stage), operation, job, seed data or
/// rule function that is not one of the SDK's intended refusals. It is logged, stack trace and all,
/// under a correlation id; the client gets PLUGIN_ERROR naming the plugin and that id, never the
/// exception's text (which may hold anything: SQL, file paths, other customers' data).
/// The correlation id is the request's (<see cref="Correlation"/>: the caller's X-Correlation-Id or
/// the trace id), outside requests the current trace id, else a new id of the same shape; it is both
/// a property of the log line and in its scope.
/// </summary>
public sealed class PluginFailures(ILogger<PluginFailures> logger, RefusalCodes codes)
{
    private readonly ConcurrentDictionary<(string PluginId, string Code), bool> _warnedUndeclared = new();

    /// <summary>
    /// True for what the plugin didn't mean: not a cancellation, not the engine's own typed refusal
    /// passing through (<see cref="CrmException"/>), not the SDK's (<see cref="OperationException"/>),
    /// whose messages are written for clients.
    /// </summary>
    public static bool IsFailure(Exception exception) => exception is not (OperationCanceledException or CrmException or OperationException);

    /// <summary>
    /// Logs the failure and says what the client is told: <c>Plugin 'id' failed {where}. {consequence}
    /// The error was logged with correlation id …</c>.
    /// </summary>
    /// <param name="pluginId">The plugin that failed.</param>
    /// <param name="where">Where it failed, as the end of "Plugin 'x' failed …": "in its before hook for this task create".</param>
    /// <param name="tenantId">The tenant it failed on, if any.</param>
    /// <param name="exception">What it threw; logged, never shown.</param>
    /// <param name="consequence">What it means for the caller ("Nothing was written."), if anything.</param>
    public PluginFailure Report(string pluginId, string where, string? tenantId, Exception exception, string? consequence = null)
    {
        var correlationId = CorrelationId();
        using (logger.BeginScope(new Dictionary<string, object?> { ["CorrelationId"] = correlationId, ["PluginId"] = pluginId, ["TenantId"] = tenantId }))
        {
            logger.LogError(exception, "Plugin {PluginId} failed {Where} on tenant {TenantId}; correlation id {CorrelationId}.", pluginId, where, tenantId, correlationId);
        }

        return new PluginFailure(pluginId, correlationId, $"Plugin '{pluginId}' failed {where}.{(consequence is null ? string.Empty : " " + consequence)} The error was logged with correlation id {correlationId}.");
    }

    /// <summary>
    /// What the client is told when a plugin refuses (an <see cref="OperationException"/> from its
    /// hook or operation): exactly its code, message and field when the code is one it may use
    /// (<see cref="RefusalCodes"/>); otherwise the refusal is reported as a failure, logged with the
    /// code that was wrong, and the client gets PLUGIN_ERROR.
    /// </summary>
    /// <param name="pluginId">The plugin that refused.</param>
    /// <param name="where">Where, as for <see cref="Report"/>.</param>
    /// <param name="tenantId">The tenant, if any.</param>
    /// <param name="refusal">The refusal.</param>
    /// <param name="consequence">What a failure means for the caller, as for <see cref="Report"/>.</param>
    public CrmError Refused(string pluginId, string where, string? tenantId, OperationException refusal, string? consequence = null)
    {
        switch (codes.Use(pluginId, refusal.Code))
        {
            case RefusalCodeUse.Passed:
                break;
            case RefusalCodeUse.PassedUndeclared:
                if (_warnedUndeclared.TryAdd((pluginId, refusal.Code), true))
                {
                    logger.LogWarning("Plugin {PluginId} refused with error code {Code}, which its plugin.json does not declare; declare its codes in 'errorCodes' (undeclared codes pass only for plugins that declare none).", pluginId, refusal.Code);
                }

                break;
            default:
                var wrong = PluginErrorCodes.IsWellFormed(refusal.Code)
                    ? $"It refused with error code '{refusal.Code}', which its plugin.json does not declare in 'errorCodes'."
                    : $"It refused with error code '{refusal.Code}', which is not UPPER_SNAKE_CASE.";
                return Report(pluginId, where, tenantId, new InvalidOperationException(wrong, refusal), consequence).Error();
        }

        return new CrmError(refusal.Code, refusal.Message, refusal.Field);
    }

    private static string CorrelationId() => Correlation.CurrentOrNew();
}

/// <summary>
/// A reported plugin failure, as the client sees it: in a userError (<see cref="Error"/>) or as a
/// GraphQL error (<see cref="ToExecutionError"/>), the same message either way, which carries the
/// plugin's id and the correlation id (userErrors have no other place for them).
/// </summary>
public sealed record PluginFailure(string PluginId, string CorrelationId, string Message)
{
    public CrmError Error(string? field = null) => new(ErrorCodes.PluginError, Message, field);

    /// <summary>The engine's typed refusal, for paths that carry refusals as exceptions (hooks, rule functions, the outbox).</summary>
    public CrmException Refusal(string? field = null) => new(Error(field));

    /// <summary>A top-level GraphQL error: <c>extensions.code</c> PLUGIN_ERROR; the message names the plugin and the correlation id, as a userError's does.</summary>
    public ExecutionError ToExecutionError() => new(Message) { Code = ErrorCodes.PluginError };
}
