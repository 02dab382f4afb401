using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Knowledge;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Diagnosis;

/// <summary>
/// 决策树 (guided diagnosis): troubleshooting trees saved as data (questions, their answers, each
/// leading to a next question or to a solution article), and the walks agents make through them on
/// cases, with the path they took.
/// </summary>
internal static class DiagnosisEntities
{
    public const string Tree = "diagnosisTree";
    public const string Walk = "serviceDiagnosis";

    public static void Declare(IPluginBuilder builder)
    {
        builder.Entity(Tree, e => e
            .Label("Diagnosis tree", "诊断决策树")
            .Description("A troubleshooting tree: questions whose answers lead to a next question or a solution article; saved with saveDiagnosisTree, which validates it.", "排障决策树：问题的每个回答通向下一个问题或解决方案文章；通过 saveDiagnosisTree 保存并校验。")
            .Text("name", f => f.Label("Name", "名称").Required().Unique().MaxLength(200))
            .LongText("description", f => f.Label("Description", "说明"))
            .Lookup("product", "product", f => f.Label("Product", "产品").Inverse("diagnosisTrees"))
            .Text("startQuestion", f => f.Label("First question (key)", "起始问题（标识）").MaxLength(100))
            .LongText("definition", f => f.Label("Questions and answers (JSON)", "问题与回答（JSON）"))
            .Integer("questionCount", f => f.Label("Questions", "问题数").Default("0")));
        builder.Entity(Walk, e => e
            .Label("Diagnosis on a case", "工单诊断记录")
            .Plural("serviceDiagnoses", "Diagnoses on cases", "工单诊断记录")
            .Description("An agent's walk through a diagnosis tree for a case: the questions asked, the answers given, the solution reached.", "客服针对工单按决策树进行的诊断：所问问题、所选回答及得出的解决方案。")
            .Lookup("case", CaseEntity.Name, f => f.Label("Case", "服务请求").Required().Inverse("diagnoses"))
            .Lookup("tree", Tree, f => f.Label("Tree", "诊断决策树").Required().Inverse("diagnoses"))
            .Picklist("status", f => f.Label("Status", "状态")
                .Option("inProgress", "In progress", "进行中").Option("solved", "Solution found", "已找到解决方案").Default("inProgress").Indexed())
            .Text("currentQuestion", f => f.Label("Current question (key)", "当前问题（标识）").MaxLength(100))
            .LongText("path", f => f.Label("Path taken", "诊断路径"))
            .Integer("steps", f => f.Label("Answers given", "已回答数").Default("0"))
            .Lookup("solutionArticle", KnowledgeEntities.Article, f => f.Label("Solution article", "解决方案文章").Inverse("diagnoses"))
            .DateTime("startedAt", f => f.Label("Started", "开始时间"))
            .DateTime("finishedAt", f => f.Label("Finished", "完成时间")));
    }
}
