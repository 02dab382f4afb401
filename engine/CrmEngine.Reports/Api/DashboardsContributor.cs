using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Reports.Definitions;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Reports.Api;

/// <summary>
/// Dashboards and folders: <c>dashboards</c>, <c>dashboard</c>, <c>runDashboard</c>, <c>reportFolders</c>;
/// <c>saveDashboard</c>, <c>deleteDashboard</c>. Part of the reports' contribution (it uses their types).
/// </summary>
internal sealed class DashboardsContributor(DashboardService dashboards, ReportService reports)
{
    public const string DashboardType = "Dashboard";

    public void Contribute(SchemaBuildContext context, ReportGraphTypes graph)
    {
        var types = context.Types;
        var dashboard = SharedTypes.SourceObject(DashboardType, "A dashboard: an ordered set of saved reports, in a folder, shared like reports.",
            ("id", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(DashboardType, D(s).Id)),
            ("name", SharedTypes.NonNull(types.String), s => D(s).Name),
            ("folder", types.String, s => D(s).Folder),
            ("sharing", SharedTypes.NonNull(graph.Sharing), s => ReportSharing.Read(D(s).Sharing)),
            ("reportIds", SharedTypes.NonNull(SharedTypes.ListOf(types.Id)), s => DashboardService.Reports(D(s)).Select(r => GlobalId.Encode(ReportGraphTypes.ReportType, r)).ToList()),
            ("ownerId", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(GlobalId.UserType, D(s).OwnerId)),
            ("createdAt", SharedTypes.NonNull(types.DateTime), s => DateTime.SpecifyKind(D(s).CreatedAt, DateTimeKind.Utc)),
            ("updatedAt", SharedTypes.NonNull(types.DateTime), s => DateTime.SpecifyKind(D(s).UpdatedAt, DateTimeKind.Utc)));
        var input = SharedTypes.Input("DashboardInput", "A dashboard: its reports in order (1 to 20 you can see). Members left out stay as they are (a new dashboard: no folder, private).",
            ("name", types.String), ("folder", types.String), ("sharing", graph.SharingInput), ("reportIds", SharedTypes.ListOf(types.Id)));
        var payload = SharedTypes.SourceObject("DashboardPayload", "What the mutation did; userErrors say why it did nothing.",
            ("dashboard", dashboard, s => ((DashboardOutcome)s).Dashboard),
            ("userErrors", types.UserErrors, s => ((DashboardOutcome)s).Errors));
        var item = SharedTypes.SourceObject("DashboardItem", "One report of a dashboard run: its result, or the error that stopped it (a report you can't see, a field you can't read).",
            ("position", SharedTypes.NonNull(types.Int), s => ((DashboardItem)s).Position),
            ("reportId", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(ReportGraphTypes.ReportType, ((DashboardItem)s).ReportId)),
            ("report", graph.Report, s => ((DashboardItem)s).Report),
            ("result", graph.Result, s => ((DashboardItem)s).Result),
            ("error", types.UserError, s => ((DashboardItem)s).Error));

        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" };
        context.Query.AddField(new FieldType
        {
            Name = "dashboards",
            Description = "The dashboards you see (in a folder and its subfolders, when named), by name.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(dashboard)),
            Arguments = new QueryArguments(new QueryArgument(types.String) { Name = "folder" }),
            Resolver = Resolve.Async(async (c, crm) => await dashboards.ListAsync(crm.Session, c.GetArgument<string?>("folder"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "dashboard",
            Description = "One dashboard; null when there is none you see.",
            ResolvedType = dashboard,
            Arguments = new QueryArguments(id),
            Resolver = Resolve.Async(async (c, crm) => await dashboards.GetAsync(crm.Session, Id(c), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "runDashboard",
            Description = "Runs each report of a dashboard, in order, with your rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(item)),
            Arguments = new QueryArguments(id, new QueryArgument(types.String) { Name = "locale" }),
            Resolver = Resolve.Async(async (c, crm) => await dashboards.RunAsync(crm.Session, Id(c), c.GetArgument<string?>("locale") ?? crm.Locale, c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "reportFolders",
            Description = "The folders of the reports and dashboards you see, in order.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(types.String)),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var folders = (await reports.ListAsync(crm.Session, null, null, c.CancellationToken)).Select(r => r.Folder)
                    .Concat((await dashboards.ListAsync(crm.Session, null, c.CancellationToken)).Select(d => d.Folder));
                return folders.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            }),
        });

        ReportsContributor.Mutation(context, "saveDashboard", "Saves a new dashboard, or (with id) changes one of yours.", payload,
            new QueryArguments(new QueryArgument(types.Id) { Name = "id" }, new QueryArgument(SharedTypes.NonNull(input)) { Name = "input" }),
            async (c, crm) =>
            {
                var fields = c.GetArgument<Dictionary<string, object?>>("input");
                var reportIds = (fields.GetValueOrDefault("reportIds") as IEnumerable<object?>)?.OfType<string>()
                    .Select((r, i) => ReportsContributor.Id(r, ReportGraphTypes.ReportType, $"reportIds[{i}]")).ToList();
                var existing = c.GetArgument<string?>("id") is null ? (Guid?)null : Id(c);
                return new DashboardOutcome(await dashboards.SaveAsync(crm.Session, existing, ReportGraphTypes.Shared(fields), reportIds, c.CancellationToken));
            },
            errors => new DashboardOutcome(Errors: errors));
        ReportsContributor.Mutation(context, "deleteDashboard", "Deletes one of your dashboards (admins: any); its reports stay.", payload, new QueryArguments(id),
            async (c, crm) => new DashboardOutcome(await dashboards.DeleteAsync(crm.Session, Id(c), c.CancellationToken)),
            errors => new DashboardOutcome(Errors: errors));
    }

    private static Guid Id(IResolveFieldContext context) => ReportsContributor.Id(context.GetArgument<string>("id"), DashboardType, "id");

    private static DashboardRow D(object source) => (DashboardRow)source;
}

/// <summary>What a dashboard mutation answers: the dashboard, or the errors that stopped it.</summary>
internal sealed record DashboardOutcome(DashboardRow? Dashboard = null, IReadOnlyList<CrmError>? Errors = null)
{
    public IReadOnlyList<CrmError> Errors { get; init; } = Errors ?? [];
}
