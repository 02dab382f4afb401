using System.Globalization;
using CrmEngine.Engine.Errors;
using T = CrmEngine.Engine.Fields.Formulas.FormulaType;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// The built-in functions and the types they take and give. There are no others: a formula can't
/// define functions, loop or call out.
/// </summary>
public static class FormulaFunctions
{
    /// <summary>The units DATEDIFF counts, with their length in seconds.</summary>
    public static readonly IReadOnlyDictionary<string, int> DateUnits = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["day"] = 86400,
        ["hour"] = 3600,
        ["minute"] = 60,
    };

    public static readonly IReadOnlyList<string> Names =
        ["IF", "CASE", "COALESCE", "ISBLANK", "CONCAT", "UPPER", "LOWER", "TRIM", "LEN", "LEFT", "ROUND", "ABS", "YEAR", "MONTH", "DAY", "DATEDIFF", "ADDDAYS", "DATE"];

    public static TypedFormula Type(string name, IReadOnlyList<TypedFormula> args)
    {
        switch (name)
        {
            case "IF":
                Arity(name, args, 3, 3);
                FormulaTypes.Expect(args[0], "IF's condition", T.Boolean);
                return Call(name, args, Common(name, [args[1], args[2]]));
            case "CASE":
                // CASE(condition1, value1, condition2, value2, ..., otherwise)
                if (args.Count < 3 || args.Count % 2 == 0)
                {
                    throw Syntax("CASE takes pairs of a condition and a value, then the value otherwise: CASE(c1, v1, c2, v2, otherwise).");
                }

                for (var i = 0; i < args.Count - 1; i += 2)
                {
                    FormulaTypes.Expect(args[i], "CASE's conditions", T.Boolean);
                }

                return Call(name, args, Common(name, [.. args.Where((_, i) => i % 2 == 1 || i == args.Count - 1)]));
            case "COALESCE":
                Arity(name, args, 2, 20);
                return Call(name, args, Common(name, args));
            case "ISBLANK":
                Arity(name, args, 1, 1);
                return Call(name, args, T.Boolean);
            case "CONCAT":
                Arity(name, args, 1, 50);
                foreach (var arg in args)
                {
                    FormulaTypes.Expect(arg, "CONCAT", T.Text);
                }

                return Call(name, args, T.Text);
            case "UPPER" or "LOWER" or "TRIM" or "LEN":
                Arity(name, args, 1, 1);
                FormulaTypes.Expect(args[0], name, T.Text);
                return Call(name, args, name == "LEN" ? T.Integer : T.Text);
            case "LEFT":
                Arity(name, args, 2, 2);
                FormulaTypes.Expect(args[0], name, T.Text);
                FormulaTypes.Expect(args[1], "LEFT's length", T.Integer);
                return Call(name, args, T.Text);
            case "ROUND":
                Arity(name, args, 2, 2);
                FormulaTypes.Expect(args[0], name, T.Integer, T.Decimal);
                if (args[1] is not TypedFormula.Constant { Value: long places } || places is < 0 or > 10)
                {
                    throw FormulaTypes.Mismatch("ROUND's second argument is a whole number of decimal places from 0 to 10, written in the formula.");
                }

                return Call(name, args, T.Decimal);
            case "ABS":
                Arity(name, args, 1, 1);
                FormulaTypes.Expect(args[0], name, T.Integer, T.Decimal);
                return Call(name, args, args[0].Type == T.Null ? T.Decimal : args[0].Type);
            case "YEAR" or "MONTH" or "DAY":
                Arity(name, args, 1, 1);
                FormulaTypes.Expect(args[0], name, T.Date, T.DateTime);
                return Call(name, args, T.Integer);
            case "DATEDIFF":
                // DATEDIFF(end, start, unit): whole units from start to end.
                Arity(name, args, 3, 3);
                FormulaTypes.Expect(args[0], name, T.Date, T.DateTime);
                FormulaTypes.Expect(args[1], name, T.Date, T.DateTime);
                if (args[2] is not TypedFormula.Constant { Value: string unit } || !DateUnits.ContainsKey(unit))
                {
                    throw FormulaTypes.Mismatch($"DATEDIFF's unit is one of {string.Join(", ", DateUnits.Keys.Select(k => $"\"{k}\""))}, written in the formula.");
                }

                return Call(name, [args[0], args[1], new TypedFormula.Constant(unit.ToLowerInvariant(), T.Text)], T.Integer);
            case "ADDDAYS":
                Arity(name, args, 2, 2);
                FormulaTypes.Expect(args[0], name, T.Date);
                FormulaTypes.Expect(args[1], "ADDDAYS's days", T.Integer);
                return Call(name, args, T.Date);
            case "DATE":
                Arity(name, args, 1, 1);
                if (args[0] is not TypedFormula.Constant { Value: string text } || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    throw FormulaTypes.Mismatch("DATE takes a date written in the formula as \"yyyy-MM-dd\".");
                }

                return new TypedFormula.Constant(date, T.Date);
            case "TODAY" or "NOW":
                throw new CrmException(ErrorCodes.InvalidDefinition,
                    $"{name}() changes as time passes without any write, so a stored formula would go stale; compare with fixed dates (DATE(\"2026-01-01\")), or filter lists with relative date ranges.", FormulaErrors.Field);
            default:
                throw Syntax($"'{name}' is no formula function; they are {string.Join(", ", Names)}.");
        }
    }

    private static TypedFormula.Builtin Call(string name, IReadOnlyList<TypedFormula> args, T type) => new(name, args, type);

    private static T Common(string name, IEnumerable<TypedFormula> values)
    {
        var common = T.Null;
        foreach (var value in values)
        {
            common = FormulaTypes.Unify(common, value.Type)
                ?? throw FormulaTypes.Mismatch($"{name}'s values must have one type, not {FormulaTypes.Name(common)} and {FormulaTypes.Name(value.Type)}.");
        }

        return common;
    }

    private static void Arity(string name, IReadOnlyList<TypedFormula> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
        {
            throw Syntax(min == max ? $"{name} takes {min} argument(s), not {args.Count}." : $"{name} takes {min} to {max} arguments, not {args.Count}.");
        }
    }

    private static CrmException Syntax(string message) => FormulaErrors.Exception(FormulaErrors.Syntax, message);
}
