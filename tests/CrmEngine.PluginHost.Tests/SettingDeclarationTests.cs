using CrmEngine.PluginHost.Settings;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.PluginHost.Tests;

/// <summary>What a plugin may declare as settings (the host refuses the plugin otherwise), and how values are read by type.</summary>
public sealed class SettingDeclarationTests
{
    private static SettingDeclaration Declare(string name, SettingType type, Action<SettingBuilder>? configure = null)
    {
        var builder = new SettingBuilder(name, type).Label("Label", "标签");
        configure?.Invoke(builder);
        return builder.Build();
    }

    [Fact]
    public void Sound_declarations_pass_and_their_defaults_become_canonical_values()
    {
        var settings = new List<SettingDeclaration>
        {
            Declare("batchSize", SettingType.Integer, s => s.Default(10)),
            Declare("rate", SettingType.Decimal, s => s.Default(1.5)),
            Declare("tier", SettingType.Picklist, s => s.Option("a", "A", "甲").Default("a")),
            Declare("apiKey", SettingType.String, s => s.Secret()),
        };

        Assert.Null(SettingValues.Check("p", settings));
        Assert.Equal([10L, 1.5m, "a", null], settings.Select(s => s.DefaultValue));
    }

    [Theory]
    [InlineData("Bad-Name", "camelCase")]
    [InlineData("twice", "twice")]
    [InlineData("wrongDefault", "a whole number")]
    [InlineData("noOptions", "picklist")]
    [InlineData("strayOptions", "picklist")]
    [InlineData("badOption", "not an option")]
    public void A_plugin_with_an_unsound_setting_declaration_is_refused_with_a_reason(string name, string reason)
    {
        var settings = name switch
        {
            "twice" => [Declare("twice", SettingType.String), Declare("twice", SettingType.Integer)],
            "wrongDefault" => [Declare(name, SettingType.Integer, s => s.Default("ten"))],
            "noOptions" => [Declare(name, SettingType.Picklist)],
            "strayOptions" => [Declare(name, SettingType.String, s => s.Option("a", "A", "甲"))],
            "badOption" => [Declare(name, SettingType.Picklist, s => s.Option("a", "A", "甲").Default("b"))],
            _ => new List<SettingDeclaration> { Declare(name, SettingType.String) },
        };

        var problem = SettingValues.Check("p", settings);

        Assert.NotNull(problem);
        Assert.Contains($"Plugin 'p' declares setting '{name}'", problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_needs_a_label()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SettingBuilder("x", SettingType.String).Build());
        Assert.Contains("needs a label", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SettingType.Integer, "42", 42L)]
    [InlineData(SettingType.Integer, 42, 42L)]
    [InlineData(SettingType.Decimal, "1234.50", "1234.50")]
    [InlineData(SettingType.Decimal, 0.1, "0.1")]
    [InlineData(SettingType.Boolean, true, true)]
    [InlineData(SettingType.String, "你好", "你好")]
    public void Values_of_the_right_type_are_taken_exactly_and_read_back_as_stored(SettingType type, object input, object expected)
    {
        var setting = Declare("x", type);

        var value = SettingValues.Coerce(setting, input, out var error);

        Assert.Null(error);
        Assert.Equal(type == SettingType.Decimal ? decimal.Parse((string)expected, System.Globalization.CultureInfo.InvariantCulture) : expected, value);
        Assert.Equal(value, SettingValues.Parse(type, SettingValues.Format(value!)));
        if (type == SettingType.Decimal)
        {
            Assert.Equal((string)expected, SettingValues.Format(value!));
        }
    }

    [Theory]
    [InlineData(SettingType.Integer, "many")]
    [InlineData(SettingType.Integer, 2.5)]
    [InlineData(SettingType.Decimal, true)]
    [InlineData(SettingType.Boolean, "true")]
    [InlineData(SettingType.String, 3)]
    public void Values_of_another_type_are_refused_as_invalid(SettingType type, object input)
    {
        Assert.Null(SettingValues.Coerce(Declare("x", type), input, out var error));
        Assert.Equal(("INVALID_VALUE", "x"), (error!.Code, error.Field));
    }
}
