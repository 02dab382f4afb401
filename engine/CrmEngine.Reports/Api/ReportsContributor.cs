using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Reports.Definitions;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Reports.Api;

/// <summary>
/// Reports in every tenant's schema: <c>reports</c>, <c>report</c>, <c>runReport</c>;
/// <c>saveReport</c>, <c>deleteReport</c>, dashboards (<see cref="DashboardsContributor"/>) and subscriptions (<see cref="SubscriptionsContributor"/>). Anyone may
/// save and run reports; runs use the caller's rights.
/// </summary>
internal sealed class ReportsContributor(ReportService reports, DashboardsContributor dashboards, SubscriptionsContributor subscriptions) : ISchemaContributor
{
    public int Order => 46;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var graph = new ReportGraphTypes(types);
        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" };
        context.Query.AddField(new FieldType
        {
            Name = "reports",
            Description = "The saved reports you see (yours, shared with you, public; of one entity and in a folder and its subfolders, when named), by name.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(graph.Report)),
            Arguments = new QueryArguments(new QueryArgument(types.String) { Name = "entity" }, new QueryArgument(types.String) { Name = "folder" }),
            Resolver = Resolve.Async(async (c, crm) => await reports.ListAsync(crm.Session, c.GetArgument<string?>("entity"), c.GetArgument<string?>("folder"), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "report",
            Description = "One saved report; null when there is none you may see.",
            ResolvedType = graph.Report,
            Arguments = new QueryArguments(id),
            Resolver = Resolve.Async(async (c, crm) => await reports.GetAsync(crm.Session, Id(c), c.CancellationToken)),
        });
        context.Query.AddField(new FieldType
        {
            Name = "runReport",
            Description = "Runs a saved report with your rights: records outside your scope don't count, and fields you can't read can't be grouped, measured or filtered on (FORBIDDEN). Labels follow Accept-Language (or locale).",
            ResolvedType = SharedTypes.NonNull(graph.Result),
            Arguments = new QueryArguments(id, new QueryArgument(graph.RunInput) { Name = "parameters" }, new QueryArgument(types.String) { Name = "locale" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var parameters = c.GetArgument<Dictionary<string, object?>?>("parameters");
                var filter = parameters?.GetValueOrDefault("filter") as IDictionary<string, object?>;
                return await reports.RunAsync(crm.Session, Id(c), filter, c.GetArgument<string?>("locale") ?? crm.Locale, c.CancellationToken);
            }),
        });
        Mutation(context, "saveReport", "Saves a new report, or (with id) changes one of yours; the definition is checked whole and refused with typed errors, nothing saved.",
            graph.Payload, new QueryArguments(new QueryArgument(types.Id) { Name = "id" }, new QueryArgument(SharedTypes.NonNull(graph.Input)) { Name = "input" }),
            async (c, crm) =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var existing = c.GetArgument<string?>("id") is null ? (Guid?)null : Id(c);
                return new ReportOutcome(await reports.SaveAsync(crm.Session, existing, ReportGraphTypes.Shared(input), ReportGraphTypes.Read(input), c.CancellationToken));
            });
        Mutation(context, "deleteReport", "Deletes one of your reports (admins: any).", graph.Payload, new QueryArguments(id),
            async (c, crm) => new ReportOutcome(await reports.DeleteAsync(crm.Session, Id(c), c.CancellationToken)));
        dashboards.Contribute(context, graph);
        subscriptions.Contribute(context);
    }

    public static void Mutation<TOutcome>(SchemaBuildContext context, string name, string description, IGraphType payload, QueryArguments arguments,
        Func<IResolveFieldContext, CrmUserContext, Task<TOutcome>> change, Func<IReadOnlyList<CrmError>, TOutcome> refused) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description,
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    return await change(c, crm);
                }
                catch (CrmException e)
                {
                    return refused(e.Errors);
                }
            }),
        });

    private static void Mutation(SchemaBuildContext context, string name, string description, IGraphType payload, QueryArguments arguments, Func<IResolveFieldContext, CrmUserContext, Task<ReportOutcome>> change) =>
        Mutation(context, name, description, payload, arguments, change, errors => new ReportOutcome(Errors: errors));

    private static Guid Id(IResolveFieldContext context) => Id(context.GetArgument<string>("id"), ReportGraphTypes.ReportType, "id");

    public static Guid Id(string? value, string type, string field) =>
        GlobalId.TryRead(value, type, out var id) ? id : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not a {type} id.", field);
}
