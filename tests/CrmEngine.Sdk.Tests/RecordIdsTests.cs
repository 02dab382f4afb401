using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Tests;

public sealed class RecordIdsTests
{
    [Fact]
    public void A_global_id_is_url_safe_base64_of_the_entity_and_the_uuid()
    {
        var id = Guid.Parse("0193a4b2-7c1d-7e2f-8a9b-0c1d2e3f4a5b");
        var base64 = RecordIds.GlobalId("account", id).Replace('-', '+').Replace('_', '/');
        var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight((base64.Length + 3) / 4 * 4, '=')));
        Assert.Equal("account:0193a4b27c1d7e2f8a9b0c1d2e3f4a5b", text);
    }

    [Fact]
    public void The_helper_refuses_a_missing_entity_rather_than_make_an_id_nothing_resolves() =>
        Assert.Throws<ArgumentException>(() => RecordIds.GlobalId("", Guid.CreateVersion7()));
}
