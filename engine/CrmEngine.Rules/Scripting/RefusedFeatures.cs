using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Runtime;
using Jint.Runtime.Modules;
using JsEngine = Jint.Engine;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// JavaScript that rules can't use, refused with a message that says what and why instead of the
/// engine's own ("String compilation has been disabled in engine options") or an internal error
/// (dynamic <c>import()</c> reached Jint's disabled module loader). What the parser can see is
/// refused when the rule is saved; the engine's hooks refuse the rest when the run reaches it.
/// </summary>
internal static class RefusedFeatures
{
    public const string Import = "import() is not available in rules: a rule can't load modules or other code.";

    public const string StringCompilation = "eval() and new Function() are not available in rules: a rule can't run code built from strings.";

    /// <summary>The first refused feature in a parsed script or condition, if any.</summary>
    public static ScriptSyntaxError? FirstIn(Node program, string part)
    {
        var finder = new Finder();
        finder.Visit(program);
        return finder.Found is { } node ? new ScriptSyntaxError(part, node.Location.Start.Line, node.Location.Start.Column + 1, Import, Refused: true) : null;
    }

    /// <summary>Engine options for every run: the host and module loader below.</summary>
    public static void Apply(Options options)
    {
        options.UseHostFactory(_ => new RulesHost());
        options.Modules.ModuleLoader = new NoModules();
    }

    private sealed class Finder : AstVisitor
    {
        public ImportExpression? Found { get; private set; }

        protected override object? VisitImportExpression(ImportExpression node)
        {
            Found ??= node;
            return node;
        }
    }

    /// <summary>Refuses <c>eval</c>, <c>Function(...)</c> and their relatives (every way to compile a string reaches here).</summary>
    private sealed class RulesHost : Host
    {
        public override void EnsureCanCompileStrings(Realm callerRealm, Realm evalRealm) =>
            throw new JavaScriptException(callerRealm.Intrinsics.TypeError, StringCompilation);
    }

    /// <summary>
    /// Reached only by an <c>import()</c> the parser didn't see; thrown as a refusal of the run (an
    /// error inside the script would only reject the promise <c>import()</c> returns, unnoticed).
    /// </summary>
    private sealed class NoModules : IModuleLoader
    {
        public ResolvedSpecifier Resolve(string? referencingModuleLocation, ModuleRequest moduleRequest) => throw new ScriptRefusedException(Import);

        public Jint.Runtime.Modules.Module LoadModule(JsEngine engine, ResolvedSpecifier resolved) => throw new ScriptRefusedException(Import);
    }
}

/// <summary>A run reached something rules can't use; the message says what.</summary>
public sealed class ScriptRefusedException(string message) : Exception(message);
