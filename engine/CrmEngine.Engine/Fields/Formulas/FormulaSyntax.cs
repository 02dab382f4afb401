namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>The types a formula's values have. <see cref="Null"/> is the type of the literal NULL alone, which fits any other.</summary>
public enum FormulaType
{
    Null,
    Integer,
    Decimal,
    Text,
    Boolean,
    Date,
    DateTime,
}

/// <summary>A parsed formula, as written: no field is resolved and nothing is typed yet (<see cref="FormulaChecker"/> does that).</summary>
public abstract record FormulaSyntax(int Position)
{
    /// <summary>A number, text, TRUE/FALSE or NULL written in the formula.</summary>
    public sealed record Literal(int Position, object? Value, FormulaType Type) : FormulaSyntax(Position);

    /// <summary>A field of the record (<c>amount</c>) or, through a lookup, of the record it points at (<c>account.industry</c>).</summary>
    public sealed record Reference(int Position, IReadOnlyList<string> Path) : FormulaSyntax(Position);

    /// <summary><c>-x</c> or <c>NOT x</c>.</summary>
    public sealed record Unary(int Position, string Operator, FormulaSyntax Operand) : FormulaSyntax(Position);

    /// <summary>Arithmetic, comparison and AND/OR.</summary>
    public sealed record Binary(int Position, string Operator, FormulaSyntax Left, FormulaSyntax Right) : FormulaSyntax(Position);

    /// <summary>A call of one of the built-in functions (upper-cased name).</summary>
    public sealed record Invocation(int Position, string Function, IReadOnlyList<FormulaSyntax> Arguments) : FormulaSyntax(Position);
}
