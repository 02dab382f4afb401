namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>
/// GraphQL's tokens read from a <see cref="ITextSource"/>, without allocating: what each is (a name
/// and enough of it to tell a few keywords apart, a punctuator, a spread, a value) but not its text.
/// Skips what GraphQL ignores (white space, commas, comments, a byte order mark), and can note where
/// each comment was, for a caller that drops them.
/// </summary>
internal ref struct GraphQLTokens<TSource>(TSource source, List<Range>? comments)
    where TSource : ITextSource, allows ref struct
{
    private TSource _source = source;

    /// <summary>The next token, skipping what GraphQL ignores (white space, commas, comments, a byte order mark).</summary>
    public Token Next()
    {
        while (!_source.AtEnd)
        {
            var c = _source.Read();
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r' or ',' or '\uFEFF':
                    continue;
                case '#':
                    var start = _source.Position - 1;
                    _source.SkipLine();
                    comments?.Add(start.._source.Position);
                    continue;
                case '.' when _source.Peek(0) == '.' && _source.Peek(1) == '.':
                    _source.Read();
                    _source.Read();
                    return new Token(TokenKind.Spread, '.', default);
                case '"':
                    SkipString();
                    return new Token(TokenKind.Value, '"', default);
                case '_' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z'):
                    var name = TokenName.Start(c);
                    while (!_source.AtEnd && _source.Peek(0) is '_' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
                    {
                        name = name.Add(_source.Read());
                    }

                    return new Token(TokenKind.Name, default, name);
                case '-' or (>= '0' and <= '9'):
                    while (!_source.AtEnd && _source.Peek(0) is '.' or 'e' or 'E' or '+' or '-' or (>= '0' and <= '9'))
                    {
                        _source.Read();
                    }

                    return new Token(TokenKind.Value, default, default);
                default:
                    return new Token(TokenKind.Punctuator, c, default);
            }
        }

        return default;
    }

    /// <summary>Moves past a string or block string whose opening quote was just read; an unclosed one ends the text.</summary>
    private void SkipString()
    {
        if (_source.Peek(0) == '"' && _source.Peek(1) == '"')
        {
            _source.Read();
            _source.Read();
            var quotes = 0;
            while (!_source.AtEnd)
            {
                switch (_source.Read())
                {
                    case '"' when ++quotes == 3:
                        return;
                    case '"':
                        break;
                    case '\\' when _source.Peek(0) == '"' && _source.Peek(1) == '"' && _source.Peek(2) == '"':
                        _source.Read();
                        _source.Read();
                        _source.Read();
                        quotes = 0;
                        break;
                    default:
                        quotes = 0;
                        break;
                }
            }

            return;
        }

        while (!_source.AtEnd)
        {
            switch (_source.Read())
            {
                case '\\':
                    if (!_source.AtEnd)
                    {
                        _source.Read();
                    }

                    break;
                case '"' or '\n' or '\r':
                    return;
            }
        }
    }

}

/// <summary>A token: its kind, the punctuator it is, or the name it spells.</summary>
internal readonly record struct Token(TokenKind Kind, char Char, TokenName Name);

/// <summary>A name's length and its first eight characters, enough to tell the few names the census looks for.</summary>
internal readonly record struct TokenName(int Length, ulong Head)
{
    public static TokenName Start(char first) => new TokenName(0, 0).Add(first);

    public static TokenName Of(string text)
    {
        var name = default(TokenName);
        foreach (var c in text)
        {
            name = name.Add(c);
        }

        return name;
    }

    public TokenName Add(char c) => Length < 8 ? new(Length + 1, Head | ((ulong)(c & 0xFF) << (8 * Length))) : this with { Length = Length + 1 };
}

/// <summary>What a token is.</summary>
internal enum TokenKind
{
    None,
    Name,
    Punctuator,
    Spread,
    Value,
}
