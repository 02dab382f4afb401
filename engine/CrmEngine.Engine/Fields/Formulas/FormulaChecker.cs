using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// Resolves and types a parsed formula against its entity: fields become columns, a field one lookup
/// away becomes a read of the looked-up record, another formula of the same record is read as its own
/// expression (so one write computes both from the same values; a formula reaching itself this way is
/// a cycle), and every operator and function is checked for the types it takes. Refusals are
/// <see cref="CrmException"/>s with the formula error codes.
/// </summary>
public sealed class FormulaChecker
{
    /// <summary>How many lookups a formula may read through: one (<c>account.industry</c>, not <c>account.owner.name</c>).</summary>
    public const int MaxLookupDepth = 1;

    private readonly MetadataSnapshot _snapshot;
    private readonly HashSet<string> _reads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Target, HashSet<string> Fields)> _remote = new(StringComparer.Ordinal);
    private readonly List<string> _expanding = [];

    private FormulaChecker(MetadataSnapshot snapshot) => _snapshot = snapshot;

    /// <summary>Checks the formula of <paramref name="field"/>, a field of <paramref name="entity"/>.</summary>
    public static CheckedFormula Check(EntityDefinition entity, MetadataSnapshot snapshot, FieldDefinition field)
    {
        var checker = new FormulaChecker(snapshot);
        var tree = checker.Expand(entity, field);
        return new CheckedFormula(tree, checker._reads, [.. checker._remote.Select(r => new RemoteReads(r.Key, r.Value.Target, r.Value.Fields))]);
    }

    private TypedFormula Expand(EntityDefinition entity, FieldDefinition field)
    {
        if (_expanding.Contains(field.Name))
        {
            throw FormulaErrors.Exception(FormulaErrors.Cycle, $"Formula '{field.Name}' reads itself: {string.Join(" → ", _expanding.Append(field.Name))}.");
        }

        _expanding.Add(field.Name);
        var tree = Visit(entity, FormulaParser.Parse(field.Formula?.Expression), local: true);
        _expanding.RemoveAt(_expanding.Count - 1);
        return tree;
    }

    private TypedFormula Visit(EntityDefinition scope, FormulaSyntax node, bool local) => node switch
    {
        FormulaSyntax.Literal literal => new TypedFormula.Constant(literal.Value, literal.Type),
        FormulaSyntax.Reference reference => Reference(scope, reference, local),
        FormulaSyntax.Unary unary => Unary(unary.Operator, Visit(scope, unary.Operand, local)),
        FormulaSyntax.Binary binary => Binary(binary.Operator, Visit(scope, binary.Left, local), Visit(scope, binary.Right, local)),
        FormulaSyntax.Invocation call => FormulaFunctions.Type(call.Function, [.. call.Arguments.Select(a => Visit(scope, a, local))]),
        _ => throw new InvalidOperationException($"Unknown formula node {node.GetType().Name}."),
    };

    private TypedFormula Reference(EntityDefinition scope, FormulaSyntax.Reference reference, bool local)
    {
        if (reference.Path.Count > MaxLookupDepth + 1)
        {
            throw FormulaErrors.Exception(FormulaErrors.TooDeep, $"'{string.Join('.', reference.Path)}' reads through {reference.Path.Count - 1} lookups; a formula reads at most {MaxLookupDepth} lookup away.");
        }

        var name = reference.Path[0];
        if (reference.Path.Count == 1)
        {
            return Value(scope, name, local);
        }

        var lookup = Find(scope, name);
        if (lookup.Type != FieldType.Lookup || _snapshot.Find(lookup.LookupEntity ?? string.Empty) is not { } target)
        {
            throw FormulaTypes.Mismatch($"'{name}' is a {lookup.Type} field, not a lookup: '{string.Join('.', reference.Path)}' can't read through it.");
        }

        _reads.Add(lookup.Name);
        var inner = Value(target, reference.Path[1], local: false);
        if (!_remote.TryGetValue(lookup.Name, out var remote))
        {
            _remote[lookup.Name] = remote = (target.Name, new HashSet<string>(StringComparer.Ordinal));
        }

        remote.Fields.Add(reference.Path[1]);
        if (target.FindField(reference.Path[1]) is { Type: FieldType.Formula } stored)
        {
            // The looked-up formula's value changes when the fields it reads do.
            remote.Fields.UnionWith(new FormulaChecker(_snapshot).ReadsOf(target, stored));
        }

        return new TypedFormula.Through(new TypedFormula.Column(lookup.ColumnName, typeof(Guid?), FormulaType.Null), target, inner);
    }

    private HashSet<string> ReadsOf(EntityDefinition entity, FieldDefinition formula)
    {
        Expand(entity, formula);
        return _reads;
    }

    /// <summary>A field as a value: a column, or (a formula of the record itself) its expression.</summary>
    private TypedFormula Value(EntityDefinition scope, string name, bool local)
    {
        if (SystemTimestamp(name) is { } column)
        {
            if (local)
            {
                _reads.Add(name);
            }

            return new TypedFormula.Column(column, typeof(DateTime), FormulaType.DateTime);
        }

        var field = Find(scope, name);
        if (local)
        {
            _reads.Add(field.Name);
            if (field.Type == FieldType.Formula)
            {
                return Expand(scope, field);
            }
        }

        var kind = field.Of();
        var type = FormulaTypes.Of(kind is ComputedKind computed ? computed.ResultType : field.Type)
            ?? throw FormulaTypes.Mismatch($"'{field.Name}' is a {field.Type} field; a formula reads text, number, yes/no, date and date-time fields (and money as its amount).");
        return new TypedFormula.Column(field.ColumnName, kind.Columns(field)[0].ClrType, type);
    }

    private static string? SystemTimestamp(string name) => name switch
    {
        "createdAt" => RecordColumns.CreatedAt,
        "updatedAt" => RecordColumns.UpdatedAt,
        _ => null,
    };

    private static FieldDefinition Find(EntityDefinition scope, string name) =>
        scope.FindField(name) ?? throw new CrmException(ErrorCodes.UnknownField, $"Entity '{scope.Name}' has no field '{name}'.", FormulaErrors.Field);

    private static TypedFormula.Operation Unary(string op, TypedFormula operand)
    {
        if (op == "NOT")
        {
            FormulaTypes.Expect(operand, "NOT", FormulaType.Boolean);
            return new TypedFormula.Operation("NOT", [operand], FormulaType.Boolean);
        }

        FormulaTypes.Expect(operand, "A minus sign", FormulaType.Integer, FormulaType.Decimal);
        return new TypedFormula.Operation("NEG", [operand], operand.Type);
    }

    private static TypedFormula.Operation Binary(string op, TypedFormula left, TypedFormula right)
    {
        switch (op)
        {
            case "AND" or "OR":
                FormulaTypes.Expect(left, op, FormulaType.Boolean);
                FormulaTypes.Expect(right, op, FormulaType.Boolean);
                return new TypedFormula.Operation(op, [left, right], FormulaType.Boolean);
            case "+" or "-" or "*" or "/":
                if (op == "/" && right.Type == FormulaType.Text)
                {
                    throw FormulaTypes.Mismatch("A formula can't divide by a text.");
                }

                FormulaTypes.Expect(left, $"'{op}'", FormulaType.Integer, FormulaType.Decimal);
                FormulaTypes.Expect(right, $"'{op}'", FormulaType.Integer, FormulaType.Decimal);
                var type = op == "/" ? FormulaType.Decimal : FormulaTypes.Unify(left.Type, right.Type)!.Value;
                return new TypedFormula.Operation(op, [left, right], type == FormulaType.Null ? FormulaType.Decimal : type);
            default:
                var common = FormulaTypes.Unify(left.Type, right.Type)
                    ?? throw FormulaTypes.Mismatch($"'{op}' compares values of one type, not {FormulaTypes.Name(left.Type)} with {FormulaTypes.Name(right.Type)}.");
                if (common == FormulaType.Boolean && op is not ("=" or "<>"))
                {
                    throw FormulaTypes.Mismatch($"Yes/no values are compared with = and <>, not '{op}'.");
                }

                return new TypedFormula.Operation(op, [left, right], FormulaType.Boolean);
        }
    }
}
