using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>A checked formula: every field resolved to a column, every node typed. What <see cref="FormulaSql"/> compiles.</summary>
public abstract record TypedFormula(FormulaType Type)
{
    public sealed record Constant(object? Value, FormulaType Type) : TypedFormula(Type);

    /// <summary>A column of the row in scope (the record, or inside <see cref="Through"/> the looked-up record), of CLR type <paramref name="ClrType"/>.</summary>
    public sealed record Column(string Name, Type ClrType, FormulaType Type) : TypedFormula(Type);

    /// <summary><paramref name="Inner"/> evaluated on the <paramref name="Target"/> record the lookup column <paramref name="Lookup"/> points at; null when it points nowhere.</summary>
    public sealed record Through(Column Lookup, EntityDefinition Target, TypedFormula Inner) : TypedFormula(Inner.Type);

    /// <summary>An operator (<c>+ - * / = &lt;&gt; &lt; &lt;= &gt; &gt;= AND OR NOT NEG</c>) over its operands.</summary>
    public sealed record Operation(string Operator, IReadOnlyList<TypedFormula> Operands, FormulaType Type) : TypedFormula(Type);

    /// <summary>A built-in function over its arguments.</summary>
    public sealed record Builtin(string Name, IReadOnlyList<TypedFormula> Arguments, FormulaType Type) : TypedFormula(Type);
}

/// <summary>
/// A formula after checking: its typed tree, the record's own fields it reads (its value changes only
/// when one of them does) and, per lookup it reads through, the looked-up entity's fields it reads.
/// </summary>
public sealed record CheckedFormula(TypedFormula Tree, IReadOnlySet<string> Reads, IReadOnlyList<RemoteReads> Remote);

/// <summary>A formula reads <paramref name="Fields"/> of <paramref name="Target"/> through its lookup <paramref name="Lookup"/>.</summary>
public sealed record RemoteReads(string Lookup, string Target, IReadOnlySet<string> Fields);
