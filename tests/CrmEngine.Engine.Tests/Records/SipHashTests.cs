using CrmEngine.Engine.Records.Querying;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>The reference vectors of SipHash-2-4 (key 00..0f, message 00..len-1; the paper's appendix gives len 15).</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class SipHashTests
{
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(1, 0x74f839c593dc67fdUL)]
    [InlineData(7, 0xab0200f58b01d137UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    [InlineData(16, 0x3f2acc7f57c29bdbUL)]
    [InlineData(63, 0x958a324ceb064572UL)]
    public void SipHash_2_4_matches_the_reference_vectors(int length, ulong expected)
    {
        var key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(expected, SipHash.Hash(BitConverter.ToUInt64(key, 0), BitConverter.ToUInt64(key, 8), message));
    }
}
