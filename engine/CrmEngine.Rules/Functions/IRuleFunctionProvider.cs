using CrmEngine.Engine.Records;

namespace CrmEngine.Rules.Functions;

/// <summary>
/// Offers functions to tenant rules: scripts call them as <c>crm.plugins.&lt;Name&gt;.&lt;function&gt;(...)</c>.
/// The plugin SDK's adapter implements this for each plugin; register implementations in DI.
/// Arguments and results are plain values: null, bool, double or long, string, DateTime (UTC),
/// lists and string-keyed dictionaries of those. Functions run synchronously from the script's
/// point of view; a thrown <see cref="Engine.Errors.CrmException"/> reaches the script as an Error
/// with its code, anything else as PLUGIN_ERROR.
/// </summary>
public interface IRuleFunctionProvider
{
    /// <summary>The namespace under <c>crm.plugins</c>, a JavaScript identifier such as "sales".</summary>
    string Name { get; }

    IReadOnlyList<RuleFunction> Functions { get; }

    /// <summary>Whether this tenant's rules see the functions (a plugin enabled for the tenant, say).</summary>
    bool IsAvailableTo(CrmSession session) => true;
}

/// <summary>Providers that change while the host runs (a reloaded plugin's); asked for the current list on each run.</summary>
public interface IRuleFunctionProviderSource
{
    IReadOnlyList<IRuleFunctionProvider> Providers { get; }
}

/// <summary>One function a provider offers.</summary>
public sealed record RuleFunction(string Name, string Description, Func<RuleFunctionCall, CancellationToken, Task<object?>> InvokeAsync);

/// <summary>A call from a script: its arguments and who is calling.</summary>
public sealed record RuleFunctionCall(RuleFunctionContext Context, IReadOnlyList<object?> Arguments);

/// <summary>
/// The run a call comes from. <see cref="Session"/> acts with the rule's identity; writes through it
/// join the rule's transaction. In a dry run (<see cref="IsDryRun"/>) database writes are rolled
/// back, but effects outside the database (mail, webhooks) are the provider's to skip.
/// </summary>
public sealed record RuleFunctionContext(CrmSession Session, string RuleName, string Entity, Guid? RecordId, Guid TriggeredBy, bool IsDryRun);
