using System.Text.Unicode;

namespace CrmEngine.Files.Uploads;

/// <summary>
/// The content type of a file from its first bytes (magic numbers), never from its name or the type a
/// client declared: PDF, PNG, JPEG, GIF, WebP, ZIP (and the Office formats inside one: DOCX, XLSX,
/// PPTX), Windows executables, and UTF-8 text. Anything else is application/octet-stream.
/// </summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes the sniffer looks at.</summary>
    public const int HeadBytes = 8192;

    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public const string OctetStream = "application/octet-stream";

    private static readonly (byte[] Magic, string Type)[] Signatures =
    [
        ("%PDF-"u8.ToArray(), "application/pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg"),
        ("GIF87a"u8.ToArray(), "image/gif"),
        ("GIF89a"u8.ToArray(), "image/gif"),
        ("MZ"u8.ToArray(), "application/x-msdownload"),
        ([0x7F, 0x45, 0x4C, 0x46], "application/x-executable"),
    ];

    /// <summary>The type of content that starts with <paramref name="head"/> (up to <see cref="HeadBytes"/> bytes; all of it when shorter).</summary>
    public static string Sniff(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, type) in Signatures)
        {
            if (head.StartsWith(magic))
            {
                return type;
            }
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return Zipped(head);
        }

        return IsText(head) ? "text/plain" : OctetStream;
    }

    /// <summary>
    /// An Office Open XML document is a ZIP whose entries sit under word/, xl/ or ppt/: the local file
    /// headers near the start name them.
    /// </summary>
    private static string Zipped(ReadOnlySpan<byte> head) =>
        head.IndexOf("word/"u8) >= 0 ? Docx
        : head.IndexOf("xl/"u8) >= 0 ? Xlsx
        : head.IndexOf("ppt/"u8) >= 0 ? Pptx
        : "application/zip";

    /// <summary>UTF-8 (a code point cut at the end of the head is fine) without control characters but tab, CR, LF and form feed.</summary>
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return false;
        }

        foreach (var b in head)
        {
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C)
            {
                return false;
            }
        }

        // A multi-byte character may be cut where the head ends: judge the bytes before it.
        var end = head.Length;
        for (var i = 1; i <= 3 && i <= head.Length; i++)
        {
            var b = head[^i];
            if ((b & 0xC0) == 0xC0)
            {
                end = head.Length - i;
                break;
            }

            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return Utf8.IsValid(head[..end]);
    }
}
