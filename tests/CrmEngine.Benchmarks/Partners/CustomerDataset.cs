namespace CrmEngine.Benchmarks.Partners;

/// <summary>
/// Deterministic customers as a Chinese B2B CRM holds them: half Chinese companies (深圳市腾达科技有限公司,
/// registered in a city, a two-character brand, a trade, a legal form), half English ones (Bluewave
/// Logistics Ltd); each with a company mailbox on its own domain (a fifth of the leads write from a
/// public mailbox such as qq.com instead) and a landline or a mobile. Customer <c>i</c> is the same on
/// every run, so a registration can name one under another legal form and spelling.
/// </summary>
public static class CustomerDataset
{
    private static readonly string[] Cities = ["深圳市", "上海市", "北京市", "杭州市", "广州市", "成都市", "南京市", "苏州市", "武汉市", "西安市"];
    private static readonly string[] AreaCodes = ["0755", "021", "010", "0571", "020", "028", "025", "0512", "027", "029"];
    private static readonly string[] Syllables =
    [
        "腾", "达", "华", "星", "辰", "云", "海", "飞", "蓝", "图", "博", "远", "瑞", "丰", "金", "鼎", "恒", "信", "宏", "泰",
        "中", "安", "和", "盛", "嘉", "禾", "新", "锐", "智", "联", "天", "润", "光", "明", "诚", "启", "正", "通", "长", "江",
        "东", "方", "万", "豪", "永", "兴", "鸿", "运", "创", "奇", "凯", "旭", "晨", "峰", "汇", "德", "宇", "航", "易", "捷",
    ];

    private static readonly string[] Pinyin =
    [
        "teng", "da", "hua", "xing", "chen", "yun", "hai", "fei", "lan", "tu", "bo", "yuan", "rui", "feng", "jin", "ding", "heng", "xin", "hong", "tai",
        "zhong", "an", "he", "sheng", "jia", "he", "xin", "rui", "zhi", "lian", "tian", "run", "guang", "ming", "cheng", "qi", "zheng", "tong", "chang", "jiang",
        "dong", "fang", "wan", "hao", "yong", "xing", "hong", "yun", "chuang", "qi", "kai", "xu", "chen", "feng", "hui", "de", "yu", "hang", "yi", "jie",
    ];

    private static readonly string[] Trades = ["科技", "信息技术", "网络科技", "电子", "软件", "贸易", "物流", "医疗器械", "新能源", "智能制造", "生物科技", "文化传媒", "建筑工程", "食品", "环保科技", "供应链管理"];
    private static readonly string[] ChineseForms = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"];
    private static readonly string[] WordsA = ["Blue", "Red", "Silver", "Golden", "North", "East", "Bright", "Swift", "Green", "Summit", "Pacific", "Pioneer", "Nova", "Apex", "Vertex", "Harbor", "Crystal", "Iron", "Maple", "Cedar"];
    private static readonly string[] WordsB = ["wave", "stone", "bridge", "field", "point", "gate", "line", "star", "path", "ridge", "light", "works", "peak", "river", "forge", "leaf", "port", "crest", "mark", "view"];
    private static readonly string[] EnglishTrades = ["Logistics", "Software", "Electronics", "Trading", "Medical", "Energy", "Systems", "Foods", "Consulting", "Robotics", "Materials", "Media", "Analytics", "Devices"];
    private static readonly string[] EnglishForms = ["Ltd", "Inc", "Co., Ltd.", "GmbH", "LLC", "Limited", "Corp"];
    private static readonly string[] PublicMail = ["qq.com", "163.com", "126.com", "gmail.com", "outlook.com"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰"];

    /// <summary>The parts a customer's name and keys are built from.</summary>
    public sealed record Customer(int Index, bool Chinese, int City, string Brand, string BrandLatin, int Trade, int Form, string Domain, string Landline, string Mobile)
    {
        /// <summary>The name as the CRM has it: 深圳市腾达科技有限公司, Bluewave Logistics Ltd.</summary>
        public string Name => Chinese
            ? $"{Cities[City]}{Brand}{Trades[Trade]}{ChineseForms[Form % ChineseForms.Length]}"
            : $"{Brand} {EnglishTrades[Trade % EnglishTrades.Length]} {EnglishForms[Form % EnglishForms.Length]}";

        /// <summary>The same company as a partner writes it: the place in brackets, another legal form (腾达科技（深圳）股份有限公司), or another case and form (BLUEWAVE LOGISTICS, INC.).</summary>
        public string OtherSpelling => Chinese
            ? $"{Brand}{Trades[Trade]}（{Cities[City].TrimEnd('市')}）{ChineseForms[(Form + 1) % ChineseForms.Length]}"
            : $"{Brand.ToUpperInvariant()} {EnglishTrades[Trade % EnglishTrades.Length].ToUpperInvariant()}, {EnglishForms[(Form + 1) % EnglishForms.Length].ToUpperInvariant()}";

        /// <summary>The landline as another person dials it: +86 and spaces instead of the trunk 0 and a dash.</summary>
        public string LandlineDialled => $"+86 {Landline[1..].Replace("-", " ", StringComparison.Ordinal)}";
    }

    /// <summary>Customer number <paramref name="i"/> (a few share a brand and trade, as real names do, in other cities).</summary>
    public static Customer At(int i)
    {
        var random = new Random(HashCode.Combine(i, 22));
        var chinese = i % 2 == 0;
        var (a, b) = (random.Next(Syllables.Length), random.Next(Syllables.Length));
        var (w1, w2) = (random.Next(WordsA.Length), random.Next(WordsB.Length));
        var brand = chinese ? Syllables[a] + Syllables[b] : WordsA[w1] + WordsB[w2];
        var latin = chinese ? Pinyin[a] + Pinyin[b] : (WordsA[w1] + WordsB[w2]).ToLowerInvariant();
        var city = random.Next(Cities.Length);
        var trade = random.Next(Trades.Length);
        var domain = $"{latin}{(chinese ? "-" + TradeCode(trade) : string.Empty)}{i % 1000}.{(chinese ? "com.cn" : "com")}";
        var landline = $"{AreaCodes[city]}-{random.Next(2, 9)}{random.Next(0, 10_000_000):D7}";
        var mobile = $"1{random.Next(3, 10)}{random.Next(0, 10)}{random.Next(0, 100_000_000):D8}";
        return new Customer(i, chinese, city, brand, latin, trade, random.Next(8), domain, landline, mobile);
    }

    /// <summary>An account: the company, its mailbox, its switchboard.</summary>
    public static IReadOnlyDictionary<string, object?> Account(int i)
    {
        var c = At(i);
        return new Dictionary<string, object?>
        {
            ["name"] = c.Name, ["email"] = $"info@{c.Domain}", ["phone"] = c.Landline, ["website"] = $"https://www.{c.Domain}", ["city"] = c.Chinese ? Cities[c.City].TrimEnd('市') : null,
        };
    }

    /// <summary>A lead: a person at a company (customers numbered after the accounts), on a mobile; a fifth write from a public mailbox.</summary>
    public static IReadOnlyDictionary<string, object?> Lead(int i)
    {
        var c = At(i);
        var person = Surnames[i % Surnames.Length] + GivenNames[(i / Surnames.Length) % GivenNames.Length];
        var mailbox = $"{c.BrandLatin}.{i}";
        return new Dictionary<string, object?>
        {
            ["name"] = person, ["company"] = c.Name, ["phone"] = c.Mobile,
            ["email"] = i % 5 == 0 ? $"{mailbox}@{PublicMail[i % PublicMail.Length]}" : $"{mailbox}@{c.Domain}",
            ["status"] = (i % 10) switch { < 5 => "new", < 7 => "contacted", < 9 => "qualified", _ => "unqualified" },
        };
    }

    /// <summary>A customer no record knows: a three-character brand (the data's are two), its own domain, a number in an area code the data never uses.</summary>
    public static (string Name, string Email, string Phone) Unknown(int j)
    {
        var c = At(j);
        var third = Syllables[(j / 7) % Syllables.Length];
        return ($"{Cities[c.City]}{c.Brand}{third}{Trades[c.Trade]}有限公司", $"buyer@new{j}-{c.BrandLatin}.com.cn", $"0999-{j % 10_000_000 + 80_000_000:D8}");
    }

    private static string TradeCode(int trade) => ((string[])["tech", "it", "net", "elec", "soft", "trade", "log", "med", "ne", "im", "bio", "media", "build", "food", "eco", "scm"])[trade];
}
