using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Sdk.Tests;

public sealed class BuilderTests
{
    [Fact]
    public void The_fluent_builder_declares_entities_fields_options_and_lookups()
    {
        var lead = new EntityBuilder("lead")
            .Label("Lead", "线索")
            .Plural("leads", "Leads", "线索")
            .Text("name", f => f.Label("Name", "姓名").Required().MaxLength(100).Searchable())
            .Picklist("status", f => f.Label("Status", "状态").Option("new", "New", "新建", "#3366ff").Option("qualified", "Qualified", "已确认").Default("new"))
            .Lookup("account", "account", f => f.Label("Account", "客户").Inverse("leads"))
            .AutoNumber("code", "L-{0000}", f => f.Label("Code", "编号"))
            .Build();

        Assert.Equal(("lead", "leads", "线索"), (lead.Name, lead.PluralName, lead.Labels!.Texts["zh-CN"]));
        var name = lead.Fields[0];
        Assert.True(name is { Type: FieldType.Text, Required: true, MaxLength: 100, Searchable: true });
        var status = lead.Fields[1];
        Assert.Equal(["new", "qualified"], status.Options!.Select(o => o.Value));
        Assert.Equal(("#3366ff", "new"), (status.Options![0].Color, status.DefaultValue));
        Assert.Equal(("account", "leads"), (lead.Fields[2].LookupEntity, lead.Fields[2].InverseName));
        Assert.Equal("L-{0000}", lead.Fields[3].AutoNumberFormat);
    }
}
