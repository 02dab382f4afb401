using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.PluginHost.Jobs;
using CrmEngine.PluginHost.Tenants;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.PluginHost.Schema;

/// <summary>
/// <c>jobRuns</c> (the job run history, newest first, shaped like <c>ruleRuns</c>) and
/// <c>runJob(plugin, job)</c>. Both need admin rights.
/// </summary>
internal sealed class PluginJobsContributor(ManualJobRuns manual) : ISchemaContributor
{
    public int Order => 36;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var text = SharedTypes.NonNull(types.String);
        var outcome = new EnumerationGraphType<JobRunOutcome> { Name = "JobRunOutcome", Description = "How a job run went; INTERRUPTED when its host stopped or died before it ended." };
        var trigger = new EnumerationGraphType<JobTrigger> { Name = "JobRunTrigger", Description = "What started a job run: its SCHEDULE, or an admin (MANUAL, runJob)." };
        var run = SharedTypes.SourceObject("PluginJobRun", "One run of a plugin job on this tenant, from the job run history.",
            ("id", SharedTypes.NonNull(types.Id), r => R(r).Id.ToString()),
            ("plugin", text, r => R(r).PluginId),
            ("job", text, r => R(r).Job),
            ("trigger", SharedTypes.NonNull(trigger), r => R(r).Trigger == JobRunLog.Name(JobTrigger.Manual) ? JobTrigger.Manual : JobTrigger.Schedule),
            ("scheduledAt", SharedTypes.NonNull(types.DateTime), r => Utc(R(r).ScheduledAt)),
            ("startedAt", SharedTypes.NonNull(types.DateTime), r => Utc(R(r).StartedAt)),
            ("endedAt", types.DateTime, r => R(r).EndedAt is { } ended ? Utc(ended) : null),
            ("outcome", SharedTypes.NonNull(outcome), r => JobRunLog.ParseOutcome(R(r).Outcome)),
            ("errorCode", types.String, r => R(r).ErrorCode),
            ("error", types.String, r => R(r).Error),
            ("host", text, r => R(r).Host));

        context.Query.AddField(new FieldType
        {
            Name = "jobRuns",
            Description = "The job run history, newest first: every run of every plugin job on this tenant, scheduled or manual. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(run)),
            Arguments = new QueryArguments(
                new QueryArgument(types.String) { Name = "plugin" },
                new QueryArgument(types.String) { Name = "job" },
                new QueryArgument(outcome) { Name = "outcome" },
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 50 }),
            Resolver = Resolve.Async(async (c, crm) => await JobRunLog.QueryAsync(crm.Session, new JobRunQuery(
                c.GetArgument<string?>("plugin"), c.GetArgument<string?>("job"), c.GetArgument<JobRunOutcome?>("outcome"), c.GetArgument<int>("first")), c.CancellationToken)),
        });

        var payload = new ObjectGraphType { Name = "RunJobPayload", Description = "The run started (RUNNING; follow it in jobRuns), or why it was refused." };
        payload.AddField(new FieldType { Name = "run", ResolvedType = run, Resolver = Resolve.FromSource(p => ((Outcome)p).Run) });
        payload.AddField(new FieldType { Name = "userErrors", ResolvedType = types.UserErrors, Resolver = Resolve.FromSource(p => ((Outcome)p).Errors) });
        context.Mutation.AddField(new FieldType
        {
            Name = "runJob",
            Description = "Runs a plugin's job now on this tenant, in the background; refused while a run of it is going on. Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = new QueryArguments(
                new QueryArgument(text) { Name = "plugin" },
                new QueryArgument(text) { Name = "job" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                try
                {
                    return new Outcome(await manual.StartAsync(crm.Session, c.GetArgument<string>("plugin"), c.GetArgument<string>("job"), c.CancellationToken), []);
                }
                catch (CrmException e)
                {
                    return new Outcome(null, e.Errors);
                }
            }),
        });
    }

    private static PluginJobRunRow R(object source) => (PluginJobRunRow)source;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed record Outcome(PluginJobRunRow? Run, IReadOnlyList<CrmError> Errors);
}
