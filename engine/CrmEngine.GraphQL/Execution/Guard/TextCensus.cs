using CrmEngine.Engine.Errors;

namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// Counts a document's fields, aliases, directives, fragment definitions and variable definitions
/// from its text, before it is parsed, and stops at the first count past its limit. Parsing builds
/// an object per node, so a hostile document costs its parse in CPU and, worse for every other
/// request, in garbage collections; this walk reads the text once and allocates nothing, so a
/// document over a limit is refused in the time it takes to read it. Every definition is counted,
/// used or not, as validation visits them all.
/// </summary>
/// <remarks>
/// It reads tokens, not grammar, and relies on where GraphQL allows each token: at selection level
/// (inside a selection set, outside arguments) a name is a field, an alias, a directive's name
/// (after <c>@</c>), a spread fragment's name or a type condition (after <c>...</c>); a colon is
/// an alias's; a brace opened outside arguments is a selection set. At the top level a definition
/// starts the document or follows a closing brace; a variable is defined where <c>$name:</c>
/// follows in an operation's parentheses. On text that is not GraphQL the counts are meaningless
/// but harmless: the parser that runs next reports the syntax error. The text comes from a
/// <see cref="ITextSource"/>: a string, or a JSON string's bytes still escaped, so that a POST body's
/// document is counted before it is ever made into a string.
/// </remarks>
internal ref struct TextCensus<TSource>(TSource source, QueryLimits limits)
    where TSource : ITextSource, allows ref struct
{
    private static readonly TokenName Fragment = TokenName.Of("fragment");
    private static readonly TokenName On = TokenName.Of("on");
    private static readonly TokenName Schema = TokenName.Of("__schema");
    private static readonly TokenName Type = TokenName.Of("__type");

    private GraphQLTokens<TSource> _tokens = new(source, comments: null);
    private int _selections;
    private int _parentheses;
    private int _brackets;
    private int _objects;
    private Token _previous;
    private Token _beforePrevious;
    private int _variableStep;
    private int _fields;
    private int _aliases;
    private int _directives;
    private int _fragments;
    private int _variables;

    /// <summary>Fields as written, once the walk has run.</summary>
    public readonly int Fields => _fields;

    /// <summary>Reads the whole text; throws <see cref="GuardRefusal"/> at the first limit crossed.</summary>
    public void Run()
    {
        while (_tokens.Next() is { Kind: not TokenKind.None } token)
        {
            Count(token);
            _beforePrevious = _previous;
            _previous = token;
        }
    }

    private void Count(Token token)
    {
        var atSelection = _selections > 0 && _parentheses == 0 && _brackets == 0;
        switch (token.Kind)
        {
            case TokenKind.Punctuator:
                Punctuator(token.Char, atSelection);
                break;
            case TokenKind.Name when atSelection:
                SelectionName(token);
                break;
            case TokenKind.Name when _selections == 0 && _parentheses == 0 && _brackets == 0:
                // A definition starts the document or follows the closing brace of the one before.
                if ((_previous.Kind == TokenKind.None || _previous.Char == '}') && token.Name == Fragment)
                {
                    GuardRefusal.Count(ref _fragments, limits.MaxFragments, ErrorCodes.TooManyFragments, "fragment definitions");
                }

                break;
        }

        // $name: in an operation's parentheses defines a variable; $name elsewhere uses one.
        _variableStep = _variableStep switch
        {
            1 when token.Kind == TokenKind.Name => 2,
            2 when token.Char == ':' => Defined(),
            _ => token.Char == '$' && _selections == 0 && _parentheses == 1 ? 1 : 0,
        };
    }

    private int Defined()
    {
        GuardRefusal.Count(ref _variables, limits.MaxVariables, ErrorCodes.TooManyVariables, "variables");
        return 0;
    }

    private void Punctuator(char punctuator, bool atSelection)
    {
        switch (punctuator)
        {
            case '@':
                GuardRefusal.Count(ref _directives, limits.MaxDirectives, ErrorCodes.TooManyDirectives, "directives");
                break;
            case ':' when atSelection:
                if (++_aliases > limits.MaxAliases)
                {
                    throw new GuardRefusal(ErrorCodes.TooManyAliases,
                        $"The query uses more than {limits.MaxAliases} aliases, the most one request may use. Split it into several requests.");
                }

                break;
            case '{':
                if (_parentheses == 0 && _brackets == 0)
                {
                    _selections++;
                }
                else
                {
                    _objects++;
                }

                break;
            case '}':
                if (_objects > 0 && (_parentheses > 0 || _brackets > 0))
                {
                    _objects--;
                }
                else if (_selections > 0)
                {
                    _selections--;
                }

                break;
            case '(':
                _parentheses++;
                break;
            case ')' when _parentheses > 0:
                _parentheses--;
                break;
            case '[':
                _brackets++;
                break;
            case ']' when _brackets > 0:
                _brackets--;
                break;
        }
    }

    private void SelectionName(Token token)
    {
        // A directive's name, a spread fragment's name, "on" and the type condition after it are not fields.
        if (_previous.Char == '@' || _previous.Kind == TokenKind.Spread || (_beforePrevious.Kind == TokenKind.Spread && _previous.Name == On))
        {
            return;
        }

        if (!limits.Introspection && (token.Name == Schema || token.Name == Type))
        {
            throw new GuardRefusal(ErrorCodes.IntrospectionDisabled, "Introspection (__schema and __type) is turned off on this server.");
        }

        // After an alias's colon comes the field the alias names: counted at the alias.
        if (_previous.Char != ':')
        {
            GuardRefusal.Count(ref _fields, limits.MaxFields, ErrorCodes.TooManyFields, "fields");
        }
    }
}
