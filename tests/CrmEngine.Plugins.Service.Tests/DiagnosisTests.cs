using System.Text.Json.Nodes;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// Guided diagnosis (决策树): a tree for a router that won't connect (power light → WAN light → Wi-Fi),
/// saved as data and checked when saved, walked by an agent on a case through GraphQL, its path logged
/// on the case and its solution article linked to it.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class DiagnosisTests(ServiceHost host)
{
    private const string Save = "mutation($id: ID, $name: String!, $start: String!, $q: [DiagnosisQuestionInput!]!) { saveDiagnosisTree(id: $id, name: $name, start: $start, questions: $q) { result { id name startQuestion questionCount } userErrors { field code message } } }";

    private const string Step = "diagnosis { id status steps path currentQuestion solutionArticle { title } } question answers solution { title }";

    private const string Start = "mutation($c: ID!, $t: ID!) { startDiagnosis(caseId: $c, treeId: $t) { result { " + Step + " } userErrors { field code message } } }";

    private const string Answer = "mutation($id: ID!, $a: String!) { answerDiagnosis(id: $id, answer: $a) { result { " + Step + " } userErrors { field code message } } }";

    [Fact]
    public async Task An_agent_walks_the_tree_on_a_case_to_a_solution_article_which_is_linked_to_the_case_with_the_path_logged()
    {
        var tenant = await host.TenantAsync();
        var (power, cable, reset) = await ArticlesAsync(tenant);
        var tree = await tenant.RunAsync(Save, new { name = "路由器无法上网", start = "power", q = RouterTree(power, cable, reset) });
        var @case = (await tenant.CreateAsync("ServiceCase", new { subject = "家里路由器上不了网", channel = "phone" })).Id();

        var first = await tenant.RunAsync(Start, new { c = @case, t = tree.Id() });
        var walk = first["diagnosis"]!.Id();
        var second = await tenant.RunAsync(Answer, new { id = walk, a = "亮" });
        var wrong = await tenant.Admin.RefusedAsync(Answer, new { id = walk, a = "不知道" });
        var third = await tenant.RunAsync(Answer, new { id = walk, a = "闪烁" });
        var solved = await tenant.RunAsync(Answer, new { id = walk, a = "能" });
        var again = await tenant.Admin.RefusedAsync(Answer, new { id = walk, a = "能" });
        var edited = await tenant.Admin.RefusedAsync("mutation($id: ID!) { updateServiceDiagnosis(id: $id, input: {path: \"改写\"}) { serviceDiagnosis { id } userErrors { field code message } } }", new { id = walk });
        var onCase = (await tenant.QueryAsync("query($id: ID!) { serviceCase(id: $id) { solutionArticle { title } diagnoses { totalCount } messages { nodes { direction subject body } } } }", new { id = @case }))["serviceCase"]!;

        Assert.Equal(("power", 3), (tree["startQuestion"].Str(), tree["questionCount"]!.GetValue<int>()));
        Assert.Equal(("路由器指示灯亮吗？", "不亮,亮", "inProgress", null), (first["question"].Str(), Answers(first), first["diagnosis"]!["status"].Str(), first["solution"]));
        Assert.Equal(("WAN 口指示灯闪烁吗？", "闪烁,不闪烁"), (second["question"].Str(), Answers(second)));
        Assert.Equal(("INVALID_INPUT", "answer", "'不知道' is not an answer to \"WAN 口指示灯闪烁吗？\" (闪烁, 不闪烁)."), (wrong.Code, wrong.Field, wrong.Message));
        Assert.Equal(("手机能搜到 Wi-Fi 吗？", 2), (third["question"].Str(), third["diagnosis"]!["steps"]!.GetValue<int>()));
        const string Path = "路由器指示灯亮吗？ → 亮\nWAN 口指示灯闪烁吗？ → 闪烁\n手机能搜到 Wi-Fi 吗？ → 能\n";
        Assert.Equal((null, "", "solved", 3, Path, "重置路由器网络设置", "重置路由器网络设置"),
            (solved["question"], Answers(solved), solved["diagnosis"]!["status"].Str(), solved["diagnosis"]!["steps"]!.GetValue<int>(), solved["diagnosis"]!["path"].Str(), solved["solution"]!["title"].Str(), solved["diagnosis"]!["solutionArticle"]!["title"].Str()));
        Assert.Equal(("SERVICE_DIAGNOSIS_FINISHED", "id"), (again.Code, again.Field));
        Assert.Equal("SERVICE_STATUS_BY_OPERATION", edited.Code);
        Assert.Equal(("重置路由器网络设置", 1), (onCase["solutionArticle"]!["title"].Str(), onCase["diagnoses"]!["totalCount"]!.GetValue<int>()));
        var note = onCase["messages"]!["nodes"]!.AsArray().Single()!;
        Assert.Equal(("note", "诊断 / Diagnosis: 重置路由器网络设置", Path), (note["direction"].Str(), note["subject"].Str(), note["body"].Str()));
    }

    [Fact]
    public async Task Saving_a_tree_again_replaces_its_questions_and_a_walk_on_a_closed_case_is_refused()
    {
        var tenant = await host.TenantAsync();
        var (power, cable, reset) = await ArticlesAsync(tenant);
        var tree = await tenant.RunAsync(Save, new { name = "路由器无法上网", start = "power", q = RouterTree(power, cable, reset) });
        var shorter = new object[] { new { key = "power", text = "路由器指示灯亮吗？", answers = new object[] { new { text = "不亮", articleId = power }, new { text = "亮", articleId = reset } } } };

        var saved = await tenant.RunAsync(Save, new { id = tree.Id(), name = "路由器无法上网（简版）", start = "power", q = shorter });
        var @case = (await tenant.CreateAsync("ServiceCase", new { subject = "已关闭的工单" })).Id();
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = @case, s = "resolved", r = "客户自行解决" });
        await tenant.RunAsync(CaseLifecycleTests.Move, new { id = @case, s = "closed" });
        var closed = await tenant.Admin.RefusedAsync(Start, new { c = @case, t = tree.Id() });

        Assert.Equal((tree.Id(), "路由器无法上网（简版）", 1), (saved.Id(), saved["name"].Str(), saved["questionCount"]!.GetValue<int>()));
        Assert.Equal(("SERVICE_CASE_CLOSED", "caseId"), (closed.Code, closed.Field));
        Assert.Equal(0, (await tenant.QueryAsync("{ serviceDiagnoses { totalCount } }"))["serviceDiagnoses"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_tree_with_a_dead_end_a_circle_an_unreachable_question_or_bad_keys_is_refused_and_nothing_is_saved()
    {
        var tenant = await host.TenantAsync();
        var (power, cable, reset) = await ArticlesAsync(tenant);
        object Q(string key, params object[] answers) => new { key, text = key + "?", answers };
        object Next(string text, string next) => new { text, next };
        object Solve(string text, string articleId) => new { text, articleId };

        var cases = new (object[] Questions, string Start, string Code, string Field, string Message)[]
        {
            ([Q("power", Next("亮", "wan"), Solve("不亮", power)), Q("wan", Next("闪烁", "wifi"), Solve("不闪烁", cable)), Q("wifi", Next("能", "power"), Solve("不能", reset))],
                "power", "SERVICE_TREE_CYCLE", "questions", "The answers lead round in a circle: power → wan → wifi → power."),
            ([Q("power", Next("亮", "wan"), Solve("不亮", power)), Q("wan", new { text = "不闪烁" })],
                "power", "SERVICE_TREE_DEAD_END", "questions", "Question 'wan', answer '不闪烁' leads nowhere (give a next question or a solution article)."),
            ([Q("power", Next("亮", "wan"), Solve("不亮", power))],
                "power", "SERVICE_TREE_DEAD_END", "questions", "Question 'power', answer '亮' leads to 'wan', which is not a question of the tree."),
            ([Q("power", Solve("亮", Guid.NewGuid().ToString()))],
                "power", "SERVICE_TREE_DEAD_END", "questions", "Question 'power', answer '亮' leads to an article that doesn't exist."),
            ([Q("power", new { text = "亮", next = "wan", articleId = power }), Q("wan", Solve("闪烁", cable))],
                "power", "SERVICE_TREE_DEAD_END", "questions", "Question 'power', answer '亮' leads both to a question and to an article."),
            ([Q("power", Solve("亮", power)), Q("wan")],
                "power", "SERVICE_TREE_DEAD_END", "questions", "Question 'wan' has no answers."),
            ([Q("power", Solve("亮", power)), Q("wan", Solve("闪烁", cable))],
                "power", "SERVICE_TREE_UNREACHABLE", "questions", "No answer leads to question 'wan' from the first question 'power'."),
            ([Q("power", Solve("亮", power))],
                "wan", "INVALID_INPUT", "start", "The first question 'wan' is not a question of the tree."),
            ([Q("power", Solve("亮", power)), Q("power", Solve("不亮", cable))],
                "power", "INVALID_INPUT", "questions", "A tree has at least one question, each with a key of its own."),
            ([Q("power", Solve("亮", power), Solve("亮", cable))],
                "power", "INVALID_INPUT", "questions", "Question 'power' offers the same answer twice."),
            ([Q("power", Solve("亮", "not-an-id"))],
                "power", "INVALID_ID", "questions", "'not-an-id' is not the id of a knowledge article."),
        };

        foreach (var (questions, start, code, field, message) in cases)
        {
            var refused = await tenant.Admin.RefusedAsync(Save, new { name = "坏树", start, q = questions });
            Assert.Equal((code, field, message), (refused.Code, refused.Field, refused.Message));
        }

        var direct = await tenant.Admin.RefusedAsync("mutation { createDiagnosisTree(input: {name: \"手写\", definition: \"{}\"}) { diagnosisTree { id } userErrors { field code message } } }");
        Assert.Equal("SERVICE_STATUS_BY_OPERATION", direct.Code);
        Assert.Equal(0, (await tenant.QueryAsync("{ diagnosisTrees { totalCount } }"))["diagnosisTrees"]!["totalCount"]!.GetValue<int>());
    }

    private static object[] RouterTree(string power, string cable, string reset) =>
    [
        new { key = "power", text = "路由器指示灯亮吗？", answers = new object[] { new { text = "不亮", articleId = power }, new { text = "亮", next = "wan" } } },
        new { key = "wan", text = "WAN 口指示灯闪烁吗？", answers = new object[] { new { text = "闪烁", next = "wifi" }, new { text = "不闪烁", articleId = cable } } },
        new { key = "wifi", text = "手机能搜到 Wi-Fi 吗？", answers = new object[] { new { text = "能", articleId = reset }, new { text = "不能", articleId = reset } } },
    ];

    private static async Task<(string Power, string Cable, string Reset)> ArticlesAsync(ServiceTenant tenant)
    {
        async Task<string> Article(string title) => (await tenant.CreateAsync("KnowledgeArticle", new { title, body = "## 步骤\n\n1. " + title })).Id();
        return (await Article("检查电源适配器"), await Article("检查宽带网线"), await Article("重置路由器网络设置"));
    }

    private static string Answers(JsonNode step) => string.Join(",", step["answers"]!.AsArray().Select(a => a.Str()));
}
