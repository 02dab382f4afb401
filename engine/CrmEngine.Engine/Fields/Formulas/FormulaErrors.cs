using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>The error codes of a refused formula, each a <c>userError</c> on the expression.</summary>
public static class FormulaErrors
{
    public const string Syntax = ErrorCodes.FormulaSyntaxError;

    public const string TypeMismatch = ErrorCodes.FormulaTypeMismatch;

    public const string Cycle = ErrorCodes.FormulaCycle;

    public const string TooDeep = ErrorCodes.FormulaTooDeep;

    /// <summary>Where a formula's errors point: its expression.</summary>
    public const string Field = "formula.expression";

    public static CrmException Exception(string code, string message) => new(code, message, Field);
}
