using System.Globalization;
using System.Text;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Fields.Formulas;

/// <summary>
/// Reads a formula's text into <see cref="FormulaSyntax"/> by recursive descent. The language has no
/// loops, no assignments and no user-defined functions; its text and nesting are bounded
/// (<see cref="MaxLength"/>, <see cref="MaxDepth"/>) so no formula can exhaust the parser or the
/// database's expression stack. Precedence, loosest first: OR, AND, NOT, comparisons, + -, * /, unary minus.
/// </summary>
public sealed class FormulaParser
{
    public const int MaxLength = 2000;

    public const int MaxDepth = 30;

    /// <summary>The most operators and calls one formula holds (a long chain of + nests as deep as it is long).</summary>
    public const int MaxOperations = 200;

    private static readonly string[] Comparisons = ["<=", ">=", "<>", "!=", "==", "=", "<", ">"];

    private readonly string _text;
    private int _at;
    private int _depth;
    private int _operations;

    private FormulaParser(string text) => _text = text;

    public static FormulaSyntax Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Error(FormulaErrors.Syntax, "A formula needs an expression, such as amount * 2.");
        }

        if (text.Length > MaxLength)
        {
            throw Error(FormulaErrors.TooDeep, $"A formula is at most {MaxLength} characters long.");
        }

        var parser = new FormulaParser(text);
        var expression = parser.Or();
        parser.SkipSpace();
        return parser._at < text.Length ? throw parser.Unexpected() : expression;
    }

    private FormulaSyntax Or() => LeftAssociative(And, "OR");

    private FormulaSyntax And() => LeftAssociative(Not, "AND");

    private FormulaSyntax LeftAssociative(Func<FormulaSyntax> operand, string keyword)
    {
        var left = operand();
        while (TryKeyword(keyword) is { } at)
        {
            left = Counted(new FormulaSyntax.Binary(at, keyword, left, operand()));
        }

        return left;
    }

    private FormulaSyntax Not()
    {
        if (TryKeyword("NOT") is { } at)
        {
            return Nested(() => new FormulaSyntax.Unary(at, "NOT", Not()));
        }

        return Comparison();
    }

    private FormulaSyntax Comparison()
    {
        var left = Additive();
        SkipSpace();
        foreach (var op in Comparisons)
        {
            if (string.CompareOrdinal(_text, _at, op, 0, op.Length) == 0)
            {
                var at = _at;
                _at += op.Length;
                var canonical = op switch { "==" => "=", "!=" => "<>", _ => op };
                return Counted(new FormulaSyntax.Binary(at, canonical, left, Additive()));
            }
        }

        return left;
    }

    private FormulaSyntax Additive() => Arithmetic(Multiplicative, '+', '-');

    private FormulaSyntax Multiplicative() => Arithmetic(Unary, '*', '/');

    private FormulaSyntax Arithmetic(Func<FormulaSyntax> operand, char first, char second)
    {
        var left = operand();
        while (true)
        {
            SkipSpace();
            if (_at >= _text.Length || (_text[_at] != first && _text[_at] != second))
            {
                return left;
            }

            var at = _at++;
            left = Counted(new FormulaSyntax.Binary(at, _text[at].ToString(), left, operand()));
        }
    }

    private FormulaSyntax Unary()
    {
        SkipSpace();
        if (_at < _text.Length && _text[_at] == '-')
        {
            var at = _at++;
            return Nested(() => new FormulaSyntax.Unary(at, "-", Unary()));
        }

        return Primary();
    }

    private FormulaSyntax Primary()
    {
        SkipSpace();
        if (_at >= _text.Length)
        {
            throw Error(FormulaErrors.Syntax, "The formula ends where a value was expected.");
        }

        var at = _at;
        var c = _text[_at];
        if (c == '(')
        {
            _at++;
            var inner = Nested(Or);
            Expect(')');
            return inner;
        }

        if (c is '"' or '\'')
        {
            return new FormulaSyntax.Literal(at, ReadString(c), FormulaType.Text);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && _at + 1 < _text.Length && char.IsAsciiDigit(_text[_at + 1])))
        {
            return ReadNumber();
        }

        if (!IsNameStart(c))
        {
            throw Unexpected();
        }

        var name = ReadName();
        switch (name.ToUpperInvariant())
        {
            case "TRUE": return new FormulaSyntax.Literal(at, true, FormulaType.Boolean);
            case "FALSE": return new FormulaSyntax.Literal(at, false, FormulaType.Boolean);
            case "NULL": return new FormulaSyntax.Literal(at, null, FormulaType.Null);
        }

        SkipSpace();
        if (_at < _text.Length && _text[_at] == '(')
        {
            _at++;
            return Nested(() => new FormulaSyntax.Invocation(at, name.ToUpperInvariant(), Arguments()));
        }

        var path = new List<string> { name };
        while (_at < _text.Length && _text[_at] == '.')
        {
            _at++;
            if (_at >= _text.Length || !IsNameStart(_text[_at]))
            {
                throw Unexpected();
            }

            path.Add(ReadName());
        }

        return new FormulaSyntax.Reference(at, path);
    }

    private List<FormulaSyntax> Arguments()
    {
        var arguments = new List<FormulaSyntax>();
        SkipSpace();
        if (_at < _text.Length && _text[_at] == ')')
        {
            _at++;
            return arguments;
        }

        while (true)
        {
            arguments.Add(Or());
            SkipSpace();
            if (_at < _text.Length && _text[_at] == ',')
            {
                _at++;
                continue;
            }

            Expect(')');
            return arguments;
        }
    }

    private T Nested<T>(Func<T> parse)
    {
        if (++_depth > MaxDepth)
        {
            throw Error(FormulaErrors.TooDeep, $"A formula nests at most {MaxDepth} levels of parentheses, calls and operators.");
        }

        var result = parse();
        _depth--;
        return result is FormulaSyntax.Unary or FormulaSyntax.Invocation ? Counted(result) : result;
    }

    private T Counted<T>(T node)
    {
        if (++_operations > MaxOperations)
        {
            throw Error(FormulaErrors.TooDeep, $"A formula holds at most {MaxOperations} operators and calls.");
        }

        return node;
    }

    private string ReadString(char quote)
    {
        var text = new StringBuilder();
        _at++;
        while (_at < _text.Length)
        {
            var c = _text[_at++];
            if (c == quote)
            {
                // A doubled quote stands for itself.
                if (_at < _text.Length && _text[_at] == quote)
                {
                    _at++;
                    text.Append(quote);
                    continue;
                }

                return text.ToString();
            }

            text.Append(c);
        }

        throw Error(FormulaErrors.Syntax, "A text in the formula is not closed.");
    }

    private FormulaSyntax.Literal ReadNumber()
    {
        var at = _at;
        while (_at < _text.Length && (char.IsAsciiDigit(_text[_at]) || _text[_at] == '.'))
        {
            _at++;
        }

        var digits = _text[at.._at];
        if (!digits.Contains('.') && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
        {
            return new FormulaSyntax.Literal(at, whole, FormulaType.Integer);
        }

        return decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? new FormulaSyntax.Literal(at, number, FormulaType.Decimal)
            : throw Error(FormulaErrors.Syntax, $"'{digits}' at position {at + 1} is not a number.");
    }

    private string ReadName()
    {
        var start = _at;
        while (_at < _text.Length && (IsNameStart(_text[_at]) || char.IsAsciiDigit(_text[_at])))
        {
            _at++;
        }

        return _text[start.._at];
    }

    private int? TryKeyword(string keyword)
    {
        SkipSpace();
        var end = _at + keyword.Length;
        if (end <= _text.Length && string.Compare(_text, _at, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (end == _text.Length || !(IsNameStart(_text[end]) || char.IsAsciiDigit(_text[end]))))
        {
            var at = _at;
            _at = end;
            return at;
        }

        return null;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (_at >= _text.Length || _text[_at] != c)
        {
            throw _at >= _text.Length ? Error(FormulaErrors.Syntax, $"The formula ends where '{c}' was expected.") : Unexpected();
        }

        _at++;
    }

    private void SkipSpace()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private CrmException Unexpected() => Error(FormulaErrors.Syntax, $"Unexpected '{_text[_at]}' at position {_at + 1} of the formula.");

    private static CrmException Error(string code, string message) => FormulaErrors.Exception(code, message);
}
