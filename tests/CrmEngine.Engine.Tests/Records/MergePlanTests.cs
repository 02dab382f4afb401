using CrmEngine.Engine.Records.Merging;
using CrmEngine.Sdk.Records;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Records;

/// <summary>
/// An undo compares the master's values now with those the merge kept in its stored plan: a value
/// read back from the plan must be the same value as the one kept, whatever its kind and its text.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class MergePlanTests
{
    public static TheoryData<object?> Values => new()
    {
        "上海星辰科技有限公司",
        "\"quoted\" <b> & 'apostrophe'",
        42L,
        120000.5m,
        true,
        new DateOnly(2026, 3, 31),
        new DateTime(2026, 3, 31, 9, 30, 0, DateTimeKind.Utc),
        Guid.CreateVersion7(),
        new Money(1999.99m, "CNY"),
        new List<string> { "retail", "零售" },
        null,
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_read_back_from_a_stored_plan_is_the_value_kept(object? value)
    {
        var kept = MergeWork.Keep(value);
        var plan = new MergePlan([Guid.CreateVersion7()], new Dictionary<string, System.Text.Json.JsonElement> { ["f"] = kept }, new Dictionary<string, System.Text.Json.JsonElement> { ["f"] = kept }, []);

        var read = MergePlan.Read(plan.Serialize());

        Assert.True(MergeWork.Same(MergeWork.Keep(value), read.Taken["f"]));
        Assert.True(MergeWork.Same(kept, read.Previous["f"]));
        Assert.False(MergeWork.Same(MergeWork.Keep("something else"), read.Taken["f"]));
    }
}
