namespace CrmEngine.Rules.Scripting;

/// <summary>
/// Where a rule's script or condition fails to parse, or uses what rules can't (<see cref="Refused"/>,
/// such as <c>import()</c>): 1-based line and column, and why.
/// </summary>
public sealed record ScriptSyntaxError(string Part, int Line, int Column, string Description, bool Refused = false)
{
    public string Message => Refused
        ? $"The {Part} uses something rules can't, at line {Line}, column {Column}: {Description}"
        : $"The {Part} has a syntax error at line {Line}, column {Column}: {Description}";
}

/// <summary>Thrown when a script does not parse; carries where.</summary>
public sealed class ScriptSyntaxException(ScriptSyntaxError error) : Exception(error.Message)
{
    public ScriptSyntaxError Error { get; } = error;
}
