using System.Buffers.Binary;
using System.Text;

namespace CrmEngine.Documents.Pdf;

/// <summary>
/// Takes one face out of a TrueType/OpenType collection (.ttc, as Debian's fonts-wqy-microhei and fonts-noto-cjk ship):
/// PDFsharp reads single-face fonts only. The face's tables are copied into a standalone font file
/// (offset table, table directory, tables 4-byte aligned), which is what PDFsharp then embeds.
/// </summary>
internal static class FontCollection
{
    /// <summary>The faces' family names (name id 1) in a collection, in order, or the one face of a plain font.</summary>
    public static IReadOnlyList<string> FamiliesOf(byte[] font) =>
        IsCollection(font) ? Enumerable.Range(0, FaceCount(font)).Select(i => FamilyOf(font, FaceOffset(font, i))).ToList() : [FamilyOf(font, 0)];

    /// <summary>The face at <paramref name="index"/> as a standalone font (a plain font is returned as is).</summary>
    public static byte[] Extract(byte[] font, int index)
    {
        if (!IsCollection(font))
        {
            return font;
        }

        var face = FaceOffset(font, index);
        var tables = Tables(font, face);
        var header = 12 + (16 * tables.Count);
        var size = header + tables.Sum(t => Align(t.Length));
        var result = new byte[size];
        font.AsSpan(face, 12).CopyTo(result);
        var at = header;
        for (var i = 0; i < tables.Count; i++)
        {
            var (tag, checksum, offset, length) = tables[i];
            var entry = result.AsSpan(12 + (16 * i), 16);
            BinaryPrimitives.WriteUInt32BigEndian(entry, tag);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], checksum);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)at);
            BinaryPrimitives.WriteUInt32BigEndian(entry[12..], (uint)length);
            font.AsSpan(offset, length).CopyTo(result.AsSpan(at));
            at += Align(length);
        }

        return result;
    }

    private static bool IsCollection(byte[] font) => font.Length > 12 && Encoding.ASCII.GetString(font, 0, 4) == "ttcf";

    private static int FaceCount(byte[] font) => (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(8));

    private static int FaceOffset(byte[] font, int index) =>
        index >= 0 && index < FaceCount(font)
            ? (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + (4 * index)))
            : throw new ArgumentOutOfRangeException(nameof(index), $"The collection has {FaceCount(font)} faces.");

    private static List<(uint Tag, uint Checksum, int Offset, int Length)> Tables(byte[] font, int face)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(face + 4));
        var tables = new List<(uint, uint, int, int)>(count);
        for (var i = 0; i < count; i++)
        {
            var entry = font.AsSpan(face + 12 + (16 * i), 16);
            tables.Add((BinaryPrimitives.ReadUInt32BigEndian(entry), BinaryPrimitives.ReadUInt32BigEndian(entry[4..]),
                (int)BinaryPrimitives.ReadUInt32BigEndian(entry[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(entry[12..])));
        }

        return tables;
    }

    /// <summary>The family name from the 'name' table (a Windows Unicode record, else a Mac Roman one).</summary>
    private static string FamilyOf(byte[] font, int face)
    {
        var name = Tables(font, face).FirstOrDefault(t => t.Tag == 0x6E616D65); // 'name'
        if (name.Length == 0)
        {
            return string.Empty;
        }

        var table = font.AsSpan(name.Offset, name.Length);
        var count = BinaryPrimitives.ReadUInt16BigEndian(table[2..]);
        var strings = BinaryPrimitives.ReadUInt16BigEndian(table[4..]);
        string? fallback = null;
        for (var i = 0; i < count; i++)
        {
            var record = table.Slice(6 + (12 * i), 12);
            var (platform, language, nameId) = (BinaryPrimitives.ReadUInt16BigEndian(record), BinaryPrimitives.ReadUInt16BigEndian(record[4..]), BinaryPrimitives.ReadUInt16BigEndian(record[6..]));
            var text = table.Slice(strings + BinaryPrimitives.ReadUInt16BigEndian(record[10..]), BinaryPrimitives.ReadUInt16BigEndian(record[8..]));
            if (nameId != 1)
            {
                continue;
            }

            if (platform == 3 && language == 0x409)
            {
                return Encoding.BigEndianUnicode.GetString(text);
            }

            fallback ??= platform == 1 ? Encoding.Latin1.GetString(text) : null;
        }

        return fallback ?? string.Empty;
    }

    private static int Align(int length) => (length + 3) & ~3;
}
