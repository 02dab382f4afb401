using System.Globalization;
using Jint;
using JsEngine = Jint.Engine;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// Makes the engine a run executes in: strict mode, no CLR access (Jint's default, kept explicit),
/// no eval or Function-from-string, no modules (<see cref="RefusedFeatures"/>), no blocking waits, and every limit of <see cref="RuleLimits"/>.
/// A new engine per run costs a few microseconds and means nothing one run does (globals, patched
/// prototypes) can reach another run, rule or tenant; engines are never shared between threads.
/// </summary>
internal static class ScriptSandbox
{
    public static JsEngine Create(RuleLimits limits, RunBudget budget, CancellationToken cancellationToken)
    {
        var engine = new JsEngine(options =>
        {
            options.Strict = true;
            options.Interop.Enabled = false;
            options.DisableStringCompilation();
            RefusedFeatures.Apply(options);
            // Atomics.wait would otherwise block the thread for as long as the script asks, unchecked;
            // now it throws. (Atomics.pause is bounded by Jint itself.)
            options.AgentCanSuspend = false;
            options.LimitMemory(limits.MaxMemoryBytes);
            options.LimitRecursion(limits.MaxRecursionDepth);
            options.Constraints.RegexTimeout = limits.RegexTimeout;
            options.Constraints.MaxArraySize = (uint)Math.Max(1, limits.MaxArrayLength);
            // Built-ins that recurse over nested data (JSON.stringify, join, bound functions) would
            // otherwise overflow the native stack and take the whole process down.
            options.Constraints.StackOverflowGuard = true;
            options.Constraint(budget.Statements);
            options.Constraint(budget.Time);
            if (cancellationToken.CanBeCanceled)
            {
                options.CancellationToken(cancellationToken);
            }

            options.TimeZone = TimeZoneInfo.Utc;
            options.Culture = CultureInfo.InvariantCulture;
        });

        AmplifierGuards.Install(engine, limits);
        return engine;
    }
}
