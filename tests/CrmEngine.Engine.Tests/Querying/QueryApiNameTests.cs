using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Querying;

/// <summary>The type names the query API generates per entity are reserved, so no definition can make the schema clash.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class QueryApiNameTests
{
    [Theory]
    [InlineData("leadListFilter")]
    [InlineData("leadGroupKey")]
    [InlineData("leadAggregateNumbers")]
    [InlineData("leadField")]
    public void An_entity_named_like_another_entitys_query_type_is_refused(string name)
    {
        var errors = MetadataValidator.Validate(new MetadataSnapshot(1, [Lead(), Entity(name, Field("title", FieldType.Text))]));

        Assert.Contains(errors, e => e.Code == ErrorCodes.NameTaken && e.Message.Contains(Naming.ToPascalCase(name), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("searchHit")]
    [InlineData("relativePeriod")]
    [InlineData("dateBucket")]
    public void An_entity_named_like_a_built_in_query_type_is_refused(string name)
    {
        var errors = MetadataValidator.Validate(new MetadataSnapshot(1, [Entity(name, Field("title", FieldType.Text))]));

        Assert.Contains(errors, e => e.Code == ErrorCodes.ReservedName);
    }
}
