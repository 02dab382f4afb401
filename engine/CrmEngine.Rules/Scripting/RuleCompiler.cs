using System.Collections.Concurrent;
using Acornima;
using Acornima.Ast;
using Jint;
using JsEngine = Jint.Engine;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// Parses scripts and conditions once, refuses what rules can't use (<see cref="RefusedFeatures"/>),
/// and shares the prepared result: a <see cref="Prepared{T}"/>
/// is immutable and thread-safe, so every engine on every thread runs the same one. Keyed by the
/// source text, so tenants with the same rule share it too.
/// </summary>
public sealed class RuleCompiler
{
    private const int Capacity = 4096;

    private static readonly ScriptPreparationOptions ScriptOptions = new()
    {
        // A rule body may end early with a plain `return;`.
        ParsingOptions = new ScriptParsingOptions { AllowReturnOutsideFunction = true },
    };

    private readonly ConcurrentDictionary<string, Prepared<Script>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Prepared<Script>> _conditions = new(StringComparer.Ordinal);

    /// <summary>How many prepared programs are cached (for tests and diagnostics).</summary>
    public int CachedCount => _scripts.Count + _conditions.Count;

    /// <summary>The prepared script; throws <see cref="ScriptSyntaxException"/> when it does not parse or uses what rules can't.</summary>
    public Prepared<Script> Script(string source) =>
        GetOrPrepare(_scripts, source, s => Prepare(s, "script", ScriptOptions));

    /// <summary>The prepared condition: a single JavaScript expression.</summary>
    public Prepared<Script> Condition(string source) =>
        GetOrPrepare(_conditions, source, s =>
        {
            try
            {
                // A condition is one expression, not statements: `a; b` or `if (...)` are refused.
                new Parser().ParseExpression(s, "condition", strict: true);
            }
            catch (ParseErrorException e)
            {
                throw new ScriptSyntaxException(new ScriptSyntaxError("condition", e.LineNumber, e.Column + 1, e.Description));
            }

            return Prepare(s, "condition", null);
        });

    /// <summary>Null when both parse, else where the first problem is.</summary>
    public ScriptSyntaxError? Check(string script, string? condition)
    {
        try
        {
            Script(script);
            if (!string.IsNullOrWhiteSpace(condition))
            {
                Condition(condition);
            }

            return null;
        }
        catch (ScriptSyntaxException e)
        {
            return e.Error;
        }
    }

    private static Prepared<Script> GetOrPrepare(ConcurrentDictionary<string, Prepared<Script>> cache, string source, Func<string, Prepared<Script>> prepare)
    {
        if (cache.TryGetValue(source, out var hit))
        {
            return hit;
        }

        var prepared = prepare(source);
        if (cache.Count >= Capacity)
        {
            // Rules in use keep their own reference to what they run; dropping the cache only costs re-parsing.
            cache.Clear();
        }

        return cache.GetOrAdd(source, prepared);
    }

    private static Prepared<Script> Prepare(string source, string part, ScriptPreparationOptions? options)
    {
        Prepared<Script> prepared;
        try
        {
            prepared = JsEngine.PrepareScript(source, part, strict: true, options);
        }
        catch (ScriptPreparationException e) when (e.InnerException is ParseErrorException parse)
        {
            throw new ScriptSyntaxException(new ScriptSyntaxError(part, parse.LineNumber, parse.Column + 1, parse.Description));
        }

        return prepared.Program is { } program && RefusedFeatures.FirstIn(program, part) is { } refused ? throw new ScriptSyntaxException(refused) : prepared;
    }
}
