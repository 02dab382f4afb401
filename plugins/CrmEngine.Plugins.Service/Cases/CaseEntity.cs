using CrmEngine.Plugins.Service.Entitlements;
using CrmEngine.Plugins.Service.Knowledge;
using CrmEngine.Plugins.Service.Routing;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary>服务请求（工单）: a customer's request, from any channel, with its lifecycle and SLA clock.</summary>
internal static class CaseEntity
{
    public const string Name = "serviceCase";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Case", "服务请求")
        .Description("A customer's request for help, from any channel, worked to resolution.", "客户通过任一渠道提出的服务请求（工单），处理直至解决。")
        .AutoNumber("number", "CS-{00000}", f => f.Label("Case number", "工单编号"))
        .Text("subject", f => f.Label("Subject", "主题").Required().MaxLength(255).Searchable())
        .LongText("description", f => f.Label("Description", "问题描述"))
        .Picklist("status", f => f.Label("Status", "状态")
            .Option("new", "New", "新建").Option("open", "Open", "处理中").Option("pendingCustomer", "Pending customer", "待客户回复")
            .Option("onHold", "On hold", "挂起").Option("resolved", "Resolved", "已解决").Option("closed", "Closed", "已关闭")
            .Default("new").Indexed())
        .Picklist("priority", f => f.Label("Priority", "优先级")
            .Option("low", "Low", "低").Option("normal", "Normal", "普通").Option("high", "High", "高").Option("urgent", "Urgent", "紧急")
            .Default("normal").Indexed())
        .Picklist("severity", f => f.Label("Severity", "严重程度")
            .Option("critical", "Critical: service down", "致命：服务中断").Option("major", "Major: badly impaired", "严重：功能受损")
            .Option("minor", "Minor: a workaround exists", "一般：有替代方案").Option("cosmetic", "Cosmetic", "轻微"))
        .Picklist("category", f => f.Label("Category", "类别")
            .Option("question", "Question", "咨询").Option("incident", "Incident", "故障").Option("request", "Service request", "服务申请")
            .Option("complaint", "Complaint", "投诉").Option("dispute", "Dispute", "纠纷").Option("other", "Other", "其他")
            .Default("question").Indexed())
        .Picklist("channel", f => f.Label("Channel", "渠道").Channels().Default("api").Indexed())
        .Lookup("account", "account", f => f.Label("Account", "客户").Inverse("serviceCases"))
        .Lookup("contact", "contact", f => f.Label("Contact", "联系人").Inverse("serviceCases"))
        .Lookup("product", "product", f => f.Label("Product", "产品").Inverse("serviceCases"))
        .Lookup("followUpOf", Name, f => f.Label("Follow-up of", "后续于").Description("The closed case a late reply came for.", "迟到的回复所针对的已关闭工单。"))
        .DateTime("receivedAt", f => f.Label("Received", "受理时间").Description("When the customer asked; SLA clocks start here.", "客户提出请求的时间，服务时限由此起算。"))
        .DateTime("firstRespondedAt", f => f.Label("First response", "首次响应时间"))
        .DateTime("resolvedAt", f => f.Label("Resolved", "解决时间"))
        .DateTime("closedAt", f => f.Label("Closed", "关闭时间"))
        .LongText("resolution", f => f.Label("Resolution", "解决方案"))
        .Integer("reopenCount", f => f.Label("Times reopened", "重开次数").Default("0"))
        .DateTime("lastCustomerReplyAt", f => f.Label("Last customer reply", "客户最近回复时间"))
        .Boolean("escalated", f => f.Label("Escalated", "已升级").Default("false").Indexed())
        .DateTime("escalatedAt", f => f.Label("Escalated at", "升级时间"))
        .Text("escalationReason", f => f.Label("Escalation reason", "升级原因").MaxLength(500))
        .Lookup("queue", RoutingEntities.Queue, f => f.Label("Queue", "服务队列").Inverse("cases"))
        .Text("requiredSkills", f => f.Label("Skills needed (comma-separated)", "所需技能（逗号分隔）").MaxLength(500))
        .Picklist("language", f => f.Label("Language", "语言").Languages().Default("zh"))
        .DateTime("assignedAt", f => f.Label("Assigned", "分配时间"))
        .LongText("assignmentReason", f => f.Label("Why this agent", "分配原因"))
        .Lookup("slaPolicy", SlaPolicyNames.Entity, f => f.Label("SLA policy", "服务级别策略"))
        .DateTime("firstResponseWarnAt", f => f.Label("First response warning at", "首次响应预警时间").Indexed())
        .DateTime("firstResponseDueAt", f => f.Label("First response due", "首次响应截止时间").Indexed())
        .DateTime("resolutionWarnAt", f => f.Label("Resolution warning at", "解决预警时间").Indexed())
        .DateTime("resolutionDueAt", f => f.Label("Resolution due", "解决截止时间").Indexed())
        .DateTime("awaitingResponseSince", f => f.Label("Awaiting an answer since", "等待答复起始时间")
            .Description("When the customer last wrote without an answer since (empty: answered).", "客户最近一次来信且尚未答复的时间（为空表示已答复）。").Indexed())
        .DateTime("nextResponseWarnAt", f => f.Label("Next response warning at", "后续响应预警时间").Indexed())
        .DateTime("nextResponseDueAt", f => f.Label("Next response due", "后续响应截止时间").Indexed())
        .Integer("nextResponseBreaches", f => f.Label("Next responses late", "后续响应超时次数").Default("0"))
        .DateTime("slaPausedAt", f => f.Label("SLA clock paused at", "时限暂停时间"))
        .Integer("slaPausedMinutes", f => f.Label("Business minutes paused", "已暂停工作分钟数").Default("0"))
        .Picklist("slaState", f => f.Label("SLA state", "服务级别状态")
            .Option("none", "No SLA", "无时限").Option("ok", "Within target", "正常").Option("warning", "Near breach", "即将超时")
            .Option("paused", "Paused", "已暂停").Option("breached", "Breached", "已超时").Option("met", "Met", "已达成")
            .Default("none").Indexed())
        .DateTime("slaCheckedAt", f => f.Label("SLA state as of", "时限状态计算时间"))
        .DateTime("csatSentAt", f => f.Label("Satisfaction survey sent", "满意度调查发送时间"))
        .Integer("csatScore", f => f.Label("Satisfaction (1–5)", "满意度（1–5）").Indexed())
        .LongText("csatComment", f => f.Label("Satisfaction comment", "满意度评价"))
        .DateTime("csatAnsweredAt", f => f.Label("Satisfaction answered", "满意度回复时间"))
        .Lookup("mergedIntoCase", Name, f => f.Label("Merged into", "已合并至").Inverse("mergedCases"))
        .Integer("npsScore", f => f.Label("Likelihood to recommend (0–10)", "推荐意愿（0–10）").Indexed())
        .LongText("npsComment", f => f.Label("Recommendation comment", "推荐意愿评价"))
        .DateTime("npsAnsweredAt", f => f.Label("Recommendation answered", "推荐意愿回复时间"))
        .Lookup("entitlement", EntitlementEntities.Entitlement, f => f.Label("Entitlement", "服务许可").Inverse("cases"))
        .Picklist("entitlementStatus", f => f.Label("Entitlement check", "服务许可校验")
            .Option("covered", "Covered", "在许可范围内").Option("notEntitled", "Not entitled", "无有效许可").Option("exhausted", "Allowance used up", "许可额度已用完").Indexed())
        .Decimal("hoursLogged", f => f.Label("Hours logged", "已记录工时").Scale(2).Default("0"))
        .Lookup("solutionArticle", KnowledgeEntities.Article, f => f.Label("Solution article", "解决方案文章").Inverse("solvedCases")));
}

/// <summary>The SLA policy entity's name, shared by the case's lookup and the SLA module.</summary>
internal static class SlaPolicyNames
{
    public const string Entity = "slaPolicy";
}

/// <summary>案件往来: a message on a case (an e-mail in or out, a note), the threading key for replies.</summary>
internal static class CaseMessageEntity
{
    public const string Name = "serviceCaseMessage";

    public static void Declare(IPluginBuilder builder) => builder.Entity(Name, e => e
        .Label("Case message", "工单往来")
        .Description("An e-mail or note on a case; its Message-ID threads the replies.", "工单上的邮件或备注；其邮件标识用于关联回复。")
        .Lookup("case", CaseEntity.Name, f => f.Label("Case", "服务请求").Required().Inverse("messages"))
        .Picklist("direction", f => f.Label("Direction", "方向")
            .Option("inbound", "From the customer", "客户来信").Option("outbound", "To the customer", "回复客户").Option("note", "Internal note", "内部备注")
            .Default("inbound"))
        .Text("messageId", f => f.Label("Message-ID", "邮件标识").MaxLength(500).Indexed())
        .Email("fromAddress", f => f.Label("From", "发件人"))
        .Text("subject", f => f.Label("Subject", "主题").MaxLength(500))
        .LongText("body", f => f.Label("Text", "正文"))
        .LongText("html", f => f.Label("HTML (sanitized)", "网页正文（已净化）"))
        .Attachment("attachments", f => f.Label("Attachments", "附件"))
        .DateTime("at", f => f.Label("At", "时间")));
}
