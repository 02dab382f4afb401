using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;

namespace CrmEngine.Benchmarks.Load;

/// <summary>The benchmark's lead entity (15 fields) and deterministic lead data, Chinese and English.</summary>
public static class LeadDataset
{
    public static readonly string[] Statuses = ["new", "contacted", "qualified", "converted", "lost"];
    public static readonly string[] Sources = ["web", "referral", "event", "ads", "partner", "cold_call"];
    public static readonly string[] Industries = ["telecom", "retail", "finance", "manufacturing", "education", "healthcare", "energy", "media"];
    public static readonly string[] Tags = ["vip", "hot", "cold", "partner", "returning"];
    private static readonly string[] Cities = ["深圳", "北京", "上海", "杭州", "广州", "成都", "Berlin", "London", "Austin", "Sydney"];
    private static readonly string[] Words = ["华为", "星辰", "云海", "腾飞", "蓝图", "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark"];
    private static readonly string[] Suffixes = ["科技有限公司", "贸易有限公司", "集团", " Ltd", " Inc", " GmbH"];
    private static readonly string[] FirstNames = ["伟", "芳", "娜", "敏", "静", "Alice", "Bob", "Carol", "David", "Eve", "Frank", "Grace"];
    private static readonly string[] LastNames = ["王", "李", "张", "刘", "陈", "Smith", "Johnson", "Brown", "Garcia", "Miller"];

    /// <summary>The text the search scenario looks for: a company word of four characters, so the trigram index serves it.</summary>
    public const string SearchText = "星辰科技";

    public static EntityDefinition Lead()
    {
        static FieldDefinition Field(string name, FieldType type) => new() { Name = name, Type = type, Labels = LocalizedText.Of(Naming.Humanize(name), name) };
        static FieldDefinition Picklist(string name, string[] values, FieldType type = FieldType.Picklist) => Field(name, type) with
        {
            Options = values.Select((v, i) => new PicklistOption { Value = v, Labels = LocalizedText.Of(v, v), Order = i }).ToList(),
        };

        return new EntityDefinition
        {
            Name = "lead",
            PluralName = "leads",
            Labels = LocalizedText.Of("Lead", "线索"),
            Fields =
            [
                Field("name", FieldType.Text) with { Required = true, Searchable = true },
                Field("company", FieldType.Text) with { Searchable = true },
                Field("email", FieldType.Email),
                Field("phone", FieldType.Phone),
                Picklist("status", Statuses) with { Indexed = true, DefaultValue = "new" },
                Picklist("source", Sources),
                Picklist("industry", Industries),
                Field("score", FieldType.Integer) with { Min = 0, Max = 100 },
                Field("budget", FieldType.Money) with { Currency = "CNY" },
                Field("lastContactedAt", FieldType.DateTime) with { Indexed = true },
                Field("nextFollowUpOn", FieldType.Date),
                Field("qualified", FieldType.Boolean),
                Picklist("tags", Tags, FieldType.MultiPicklist),
                Field("city", FieldType.Text),
                Field("notes", FieldType.LongText),
            ],
            Indexes = [new IndexDefinition(["status", "lastContactedAt"])],
        };
    }

    /// <summary>Lead number <paramref name="i"/> of a data set, the same on every run.</summary>
    public static Dictionary<string, object?> Row(int i, Random random)
    {
        var city = Cities[random.Next(Cities.Length)];
        var company = city + Words[random.Next(Words.Length)] + Suffixes[random.Next(Suffixes.Length)];
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        return new Dictionary<string, object?>
        {
            ["name"] = first.Length > 1 ? $"{first} {last}" : last + first,
            ["company"] = company,
            ["email"] = $"lead{i}@example.com",
            ["phone"] = $"+86 138 {random.Next(1000, 9999)} {random.Next(1000, 9999)}",
            ["status"] = Statuses[random.Next(Statuses.Length)],
            ["source"] = Sources[random.Next(Sources.Length)],
            ["industry"] = Industries[random.Next(Industries.Length)],
            ["score"] = (long)random.Next(0, 101),
            ["budget"] = new Dictionary<string, object?> { ["amount"] = (decimal)random.Next(1_000, 5_000_000) / 100m },
            ["lastContactedAt"] = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 60 * 24 * 700)),
            ["nextFollowUpOn"] = new DateOnly(2025, 1, 1).AddDays(random.Next(0, 365)),
            ["qualified"] = random.Next(2) == 0,
            ["tags"] = Tags.Where(_ => random.Next(4) == 0).ToList(),
            ["city"] = city,
            ["notes"] = random.Next(3) == 0 ? null : $"Met at {Sources[random.Next(Sources.Length)]}; follow up about {Industries[random.Next(Industries.Length)]} needs.",
        };
    }
}
