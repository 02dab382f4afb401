using System.Collections.Frozen;
using CrmEngine.Engine.Errors;
using CrmEngine.PluginHost.Loading;

namespace CrmEngine.PluginHost.Failures;

/// <summary>How a plugin's refusal code reaches the client.</summary>
public enum RefusalCodeUse
{
    /// <summary>As it is: an engine code, or one a loaded plugin declares.</summary>
    Passed,

    /// <summary>As it is, with a warning: the plugin declares no codes at all (it was built for SDK 0.1, which had no declarations).</summary>
    PassedUndeclared,

    /// <summary>Not at all: the code is ill-formed, or the plugin declares its codes and this isn't one; the refusal is a plugin failure.</summary>
    Failed,
}

/// <summary>
/// Which codes plugins may refuse with (<see cref="Sdk.Operations.OperationException"/> from a hook
/// or an operation): the engine's own, meaning what the engine means by them (a plugin relaying a
/// write's VERSION_CONFLICT), and those the loaded plugins declare in their manifests (a plugin
/// relaying another's refusal from a write it made keeps that code). A plugin without an
/// <c>errorCodes</c> declaration, as every plugin built for SDK 0.1 is, keeps what 0.1 did: its
/// well-formed codes pass.
/// </summary>
public sealed class RefusalCodes(PluginCatalog catalog)
{
    private readonly FrozenSet<string> _declared = catalog.Loaded
        .SelectMany(p => p.Manifest!.ErrorCodes?.Keys ?? Enumerable.Empty<string>())
        .ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenSet<string> _declaring = catalog.Loaded
        .Where(p => p.Manifest!.ErrorCodes is not null)
        .Select(p => p.Id)
        .ToFrozenSet(StringComparer.Ordinal);

    public RefusalCodeUse Use(string pluginId, string? code) =>
        !PluginErrorCodes.IsWellFormed(code) ? RefusalCodeUse.Failed
        : ErrorCodes.All.Contains(code!) || _declared.Contains(code!) ? RefusalCodeUse.Passed
        : _declaring.Contains(pluginId) ? RefusalCodeUse.Failed
        : RefusalCodeUse.PassedUndeclared;
}
