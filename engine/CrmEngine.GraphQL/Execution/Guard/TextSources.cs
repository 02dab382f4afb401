namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>Characters read one at a time, with a short look ahead, for <see cref="TextCensus{TSource}"/>.</summary>
internal interface ITextSource
{
    /// <summary>Whether every character has been read.</summary>
    bool AtEnd { get; }

    /// <summary>Where the next character starts, in the source's own units.</summary>
    int Position { get; }

    /// <summary>The next character, moving past it.</summary>
    char Read();

    /// <summary>The character <paramref name="ahead"/> places past the next one unread (0: the next), or '\0' past the end.</summary>
    char Peek(int ahead);

    /// <summary>Moves to the end of the line: the next line feed or carriage return, or the end of the text.</summary>
    void SkipLine();
}

/// <summary>A document's text as a string.</summary>
internal ref struct StringSource(ReadOnlySpan<char> text) : ITextSource
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _position;

    public readonly bool AtEnd => _position >= _text.Length;

    public readonly int Position => _position;

    public char Read() => _text[_position++];

    public readonly char Peek(int ahead) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    public void SkipLine()
    {
        var end = _text[_position..].IndexOfAny('\n', '\r');
        _position = end < 0 ? _text.Length : _position + end;
    }
}

/// <summary>
/// A document's text as a JSON string's UTF-8 bytes, still escaped and without its quotes: escapes
/// are decoded as they are read (a brace written as \u007b is a brace), and each character past
/// ASCII, which GraphQL allows only in strings and comments, reads as one U+FFFD.
/// </summary>
internal ref struct JsonStringSource(ReadOnlySpan<byte> escaped) : ITextSource
{
    private readonly ReadOnlySpan<byte> _bytes = escaped;
    private int _position;

    public readonly bool AtEnd => _position >= _bytes.Length;

    public readonly int Position => _position;

    public char Read()
    {
        // Plain ASCII, the bulk of any document, reads as itself.
        if (_bytes[_position] is var b and < 0x80 and not (byte)'\\')
        {
            _position++;
            return (char)b;
        }

        var (c, length) = Decode(_position);
        _position += length;
        return c;
    }

    public readonly char Peek(int ahead)
    {
        if (ahead == 0 && _position < _bytes.Length && _bytes[_position] is var b and < 0x80 and not (byte)'\\')
        {
            return (char)b;
        }

        var position = _position;
        for (var i = 0; i < ahead && position < _bytes.Length; i++)
        {
            position += Decode(position).Length;
        }

        return position < _bytes.Length ? Decode(position).Char : '\0';
    }

    public void SkipLine()
    {
        // A JSON string holds no raw line break: a line ends at an escape that decodes to one.
        while (true)
        {
            var escape = _bytes[_position..].IndexOf((byte)'\\');
            if (escape < 0)
            {
                _position = _bytes.Length;
                return;
            }

            _position += escape;
            var (c, length) = Decode(_position);
            if (c is '\n' or '\r')
            {
                return;
            }

            _position += length;
        }
    }

    private readonly (char Char, int Length) Decode(int position)
    {
        var b = _bytes[position];
        if (b == '\\' && position + 1 < _bytes.Length)
        {
            return _bytes[position + 1] switch
            {
                (byte)'n' => ('\n', 2),
                (byte)'r' => ('\r', 2),
                (byte)'t' => ('\t', 2),
                (byte)'b' => ('\b', 2),
                (byte)'f' => ('\f', 2),
                (byte)'u' when position + 5 < _bytes.Length && System.Buffers.Text.Utf8Parser.TryParse(_bytes.Slice(position + 2, 4), out ushort code, out var used, 'x') && used == 4 => ((char)code, 6),
                var escaped => ((char)escaped, 2),
            };
        }

        if (b < 0x80)
        {
            return ((char)b, 1);
        }

        var length = 1;
        while (position + length < _bytes.Length && (_bytes[position + length] & 0xC0) == 0x80)
        {
            length++;
        }

        return ('\uFFFD', length);
    }
}
