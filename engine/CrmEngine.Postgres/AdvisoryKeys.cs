using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CrmEngine.Postgres;

/// <summary>
/// PostgreSQL advisory locks are numbered, our work is named: a name becomes the first 8 bytes of
/// its SHA-256. Two names sharing a number (odds of 1 in 2^64) would only make their work take turns.
/// </summary>
internal static class AdvisoryKeys
{
    public static long For(string name) => BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("crmengine:" + name)));
}
