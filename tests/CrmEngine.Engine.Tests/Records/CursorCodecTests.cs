using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Records;

[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class CursorCodecTests
{
    private readonly CursorCodec _codec = new(new CursorSecret(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));

    [Fact]
    public void A_cursor_round_trips_within_its_scope()
    {
        var id = Guid.CreateVersion7();
        var keys = _codec.Decode(_codec.Encode("t1/lead/id", [id]), "t1/lead/id");
        Assert.Equal(id, keys[0].GetGuid());
    }

    [Theory]
    [InlineData("t2/lead/id")]
    [InlineData("t1/account/id")]
    public void A_cursor_from_another_tenant_or_entity_is_refused(string otherScope)
    {
        var cursor = _codec.Encode("t1/lead/id", [Guid.CreateVersion7()]);
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<CrmException>(() => _codec.Decode(cursor, otherScope)).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b")]
    public void Malformed_cursors_are_refused(string cursor)
    {
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<CrmException>(() => _codec.Decode(cursor, "t1/lead/id")).Code);
    }

    [Fact]
    public void A_tampered_cursor_is_refused()
    {
        var cursor = _codec.Encode("t1/lead/id", [Guid.CreateVersion7()]);
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<CrmException>(() => _codec.Decode(tampered, "t1/lead/id")).Code);
    }

    [Fact]
    public void A_cursor_signed_with_another_secret_is_refused()
    {
        var other = new CursorCodec(new CursorSecret(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray()));
        var cursor = other.Encode("t1/lead/id", [Guid.CreateVersion7()]);
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<CrmException>(() => _codec.Decode(cursor, "t1/lead/id")).Code);
    }

    [Fact]
    public void A_cursor_with_its_tag_cut_short_is_refused()
    {
        var cursor = _codec.Encode("t1/lead/id", [Guid.CreateVersion7()]);
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<CrmException>(() => _codec.Decode(cursor[..^2], "t1/lead/id")).Code);
    }
}
