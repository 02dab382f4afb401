using System.Text;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Import.Files;

/// <summary>The kinds of file an import reads.</summary>
public enum ImportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// Tells a file's kind from its content, never from its name or the type the client announced: an
/// XLSX workbook is a zip archive (it starts PK\x03\x04); a CSV file is UTF-8 text (with or without a
/// byte order mark). Anything else, text in another encoding (GBK, UTF-16) included, is refused with
/// a typed error before a job is made, so the client learns at once to save the file as UTF-8.
/// </summary>
public static class ImportFormats
{
    private const int SniffBytes = 64 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<ImportFormat> DetectAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[SniffBytes];
        int length;
        await using (var file = File.OpenRead(path))
        {
            length = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        }

        return Detect(buffer.AsSpan(0, length), complete: length < SniffBytes);
    }

    /// <param name="head">The file's first bytes.</param>
    /// <param name="complete">True when <paramref name="head"/> is the whole file (a last character may not be cut).</param>
    public static ImportFormat Detect(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.Length == 0)
        {
            throw new CrmException(ErrorCodes.ImportFileNotSupported, "The file is empty: send a CSV or XLSX file with a header row.", "file");
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return ImportFormat.Xlsx;
        }

        if (head.StartsWith(new byte[] { 0xFF, 0xFE }) || head.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            throw new CrmException(ErrorCodes.ImportFileNotUtf8, "The file is UTF-16 text; save it as CSV in UTF-8 (\"CSV UTF-8\" in Excel) or as XLSX.", "file");
        }

        if (head.IndexOf((byte)0) >= 0)
        {
            throw new CrmException(ErrorCodes.ImportFileNotSupported, "The file is neither CSV text nor an XLSX workbook.", "file");
        }

        // A cut multi-byte character at the end of the sniffed bytes is not an encoding error.
        var text = complete ? head : head[..LastWholeCharacter(head)];
        try
        {
            StrictUtf8.GetCharCount(text);
        }
        catch (DecoderFallbackException)
        {
            throw new CrmException(ErrorCodes.ImportFileNotUtf8, "The file is text but not UTF-8 (perhaps GBK); save it as CSV in UTF-8 (\"CSV UTF-8\" in Excel) or as XLSX.", "file");
        }

        return ImportFormat.Csv;
    }

    /// <summary>The length of <paramref name="bytes"/> without a trailing incomplete UTF-8 sequence.</summary>
    private static int LastWholeCharacter(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) != 0x80)
            {
                // A lead byte: keep it only when its whole sequence is there.
                var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return needed <= back ? bytes.Length : bytes.Length - back;
            }
        }

        return bytes.Length;
    }
}
