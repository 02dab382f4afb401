using System.Buffers.Binary;
using System.Numerics;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudo-random function built to
/// authenticate short messages, with a 64-bit tag. Cursors are a few dozen bytes and a page signs
/// one per edge; in managed code this costs about a hundred nanoseconds, where an HMAC through the
/// platform's crypto library cost microseconds per call (a sixth of a page's time when profiled).
/// </summary>
internal static class SipHash
{
    public static ulong Hash(ulong k0, ulong k1, ReadOnlySpan<byte> message)
    {
        var v0 = 0x736f6d6570736575UL ^ k0;
        var v1 = 0x646f72616e646f6dUL ^ k1;
        var v2 = 0x6c7967656e657261UL ^ k0;
        var v3 = 0x7465646279746573UL ^ k1;

        var whole = message.Length & ~7;
        for (var offset = 0; offset < whole; offset += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(message.Slice(offset, 8));
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        // The last block: the remaining bytes, little-endian, with the length's low byte on top.
        var last = (ulong)(message.Length & 0xff) << 56;
        var tail = message[whole..];
        for (var i = 0; i < tail.Length; i++)
        {
            last |= (ulong)tail[i] << (8 * i);
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;

        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
