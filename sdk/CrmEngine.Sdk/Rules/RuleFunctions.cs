using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Rules;

/// <summary>
/// A function tenant rules can call as <c>crm.fn.&lt;name&gt;(...)</c> when the plugin is enabled.
/// Arguments and results are plain values (string, number, boolean, null, arrays, objects as dictionaries).
/// </summary>
public interface IRuleFunction
{
    /// <summary>The function's name, camelCase.</summary>
    string Name { get; }

    /// <summary>What it does, shown to rule authors.</summary>
    string Description { get; }

    /// <summary>Runs the function.</summary>
    Task<object?> InvokeAsync(IRuleFunctionContext context, IReadOnlyList<object?> arguments, CancellationToken cancellationToken);
}

/// <summary>What a rule function sees.</summary>
public interface IRuleFunctionContext
{
    /// <summary>The identity the rule runs as.</summary>
    ICrmIdentity Identity { get; }

    /// <summary>The record API, as that identity.</summary>
    IRecordApi Records { get; }

    /// <summary>The tenant's users and teams.</summary>
    IUserDirectory Directory { get; }
}
