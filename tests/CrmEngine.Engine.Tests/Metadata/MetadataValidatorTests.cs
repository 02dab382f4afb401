using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;

namespace CrmEngine.Engine.Tests.Metadata;

[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class MetadataValidatorTests
{
    private static IReadOnlyList<CrmError> Validate(params EntityDefinition[] entities) => MetadataValidator.Validate(new MetadataSnapshot(1, entities));

    [Fact]
    public void A_well_formed_snapshot_passes()
    {
        Assert.Empty(Validate(Entity("account", Field("name", FieldType.Text)), Entity("contact", Lookup("account", "account"))));
    }

    [Fact]
    public void Labels_in_english_and_chinese_are_required()
    {
        var entity = Entity("lead") with { Labels = new LocalizedText([new("en", "Lead")]) };
        Assert.Contains(Validate(entity), e => e.Code == ErrorCodes.LabelRequired && e.Message.Contains("zh-CN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("node")]
    [InlineData("pageInfo")]
    [InlineData("crmAudit")]
    public void Names_the_engine_uses_are_reserved(string name)
    {
        Assert.Contains(Validate(Entity(name)), e => e.Code is ErrorCodes.ReservedName or ErrorCodes.NameTaken);
    }

    [Fact]
    public void System_field_names_are_reserved()
    {
        Assert.Contains(Validate(Entity("lead", Field("createdAt", FieldType.DateTime))), e => e.Code == ErrorCodes.ReservedName);
    }

    [Fact]
    public void An_entity_whose_generated_types_clash_with_another_is_refused()
    {
        Assert.Contains(Validate(Entity("lead"), Entity("leadConnection")), e => e.Code == ErrorCodes.NameTaken);
    }

    [Fact]
    public void Two_fields_may_not_share_a_column()
    {
        var errors = Validate(Entity("deal", Field("amount", FieldType.Money) with { Currency = "CNY" }, Field("amountCurrency", FieldType.Text)));
        Assert.Contains(errors, e => e.Code == ErrorCodes.NameTaken && e.Message.Contains("amount_currency", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_lookups_with_the_same_default_inverse_name_need_an_explicit_one()
    {
        var errors = Validate(Entity("account"), Entity("deal", Lookup("buyer", "account"), Lookup("seller", "account")));
        Assert.Contains(errors, e => e.Code == ErrorCodes.NameTaken && e.Message.Contains("inverseName", StringComparison.Ordinal));
        Assert.Empty(Validate(Entity("account"), Entity("deal", Lookup("buyer", "account"), Lookup("seller", "account") with { InverseName = "sales" })));
    }

    [Fact]
    public void A_lookup_to_an_unknown_entity_is_refused()
    {
        Assert.Contains(Validate(Entity("deal", Lookup("account", "account"))), e => e.Code == ErrorCodes.UnknownEntity);
    }

    [Fact]
    public void An_invalid_default_value_is_refused()
    {
        var errors = Validate(Entity("lead", Picklist("status", "new") with { DefaultValue = "nope" }));
        Assert.Contains(errors, e => e.Field == "defaultValue");
    }

    [Fact]
    public void Booleans_can_not_be_unique_and_numbers_have_no_max_length()
    {
        var errors = Validate(Entity("lead", Field("vip", FieldType.Boolean) with { Unique = true }, Field("score", FieldType.Integer) with { MaxLength = 3 }));
        Assert.Contains(errors, e => e.Field == "unique");
        Assert.Contains(errors, e => e.Field == "maxLength");
    }

    [Fact]
    public void Storage_signature_ignores_labels_but_not_columns()
    {
        var a = new MetadataSnapshot(1, [Entity("lead", Field("name", FieldType.Text))]);
        var relabeled = new MetadataSnapshot(2, [Entity("lead", Field("name", FieldType.Text) with { Labels = LocalizedText.Of("Full name", "姓名") })]);
        var widened = new MetadataSnapshot(3, [Entity("lead", Field("name", FieldType.Text), Field("email", FieldType.Email))]);
        Assert.Equal(a.StorageSignature, relabeled.StorageSignature);
        Assert.NotEqual(a.StorageSignature, widened.StorageSignature);
    }
}
