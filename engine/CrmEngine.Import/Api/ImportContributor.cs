using CrmEngine.Engine.Errors;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.Import.Jobs;
using CrmEngine.Import.Mapping;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.Import.Api;

/// <summary>
/// Import jobs in every tenant's schema: <c>importJob(id)</c> and <c>importJobs(first)</c>, with each
/// job's progress, its refused rows (<c>errors</c>) and the address of its CSV error report. Files
/// are uploaded to <c>POST /import/&lt;entity&gt;</c> (the host's route), which answers the job's id.
/// A user sees the jobs they started; an admin sees all.
/// </summary>
internal sealed class ImportContributor(ImportJobs jobs, ImportJobStore store) : ISchemaContributor
{
    /// <summary>The report's address, on the host that serves the API; it takes the same credentials.</summary>
    public static string ReportPath(Guid job) => $"/import/jobs/{job}/errors.csv";

    public int Order => 45;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var text = SharedTypes.NonNull(types.String);
        var count = SharedTypes.NonNull(types.Long);
        var status = new EnumerationGraphType<ImportJobStatus> { Name = "ImportJobStatus", Description = "Where an import job is." };
        var mode = new EnumerationGraphType<ImportMode> { Name = "ImportMode", Description = "Create every row, or update the record a row's unique key names and create the others." };
        var rowError = SharedTypes.SourceObject("ImportRowError", "Why a row of an import was refused (a row may have several).",
            ("row", SharedTypes.NonNull(types.Int), e => ((ImportErrorRow)e).RowNumber),
            ("column", types.String, e => ((ImportErrorRow)e).ColumnName),
            ("code", text, e => ((ImportErrorRow)e).Code),
            ("message", text, e => ((ImportErrorRow)e).Message),
            ("cursor", text, e => ((ImportErrorRow)e).Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var job = SharedTypes.SourceObject("ImportJob", "An import of a CSV or XLSX file: what was asked, and how far it got.",
            ("id", SharedTypes.NonNull(types.Id), j => J(j).Id.ToString()),
            ("entity", text, j => J(j).Entity),
            ("mode", SharedTypes.NonNull(mode), j => Enum.Parse<ImportMode>(J(j).Mode)),
            ("upsertBy", types.String, j => J(j).UpsertBy),
            ("dryRun", SharedTypes.NonNull(types.Boolean), j => J(j).DryRun),
            ("fileName", text, j => J(j).FileName),
            ("format", text, j => J(j).Format.ToUpperInvariant()),
            ("fileBytes", count, j => J(j).FileBytes),
            ("status", SharedTypes.NonNull(status), j => Enum.Parse<ImportJobStatus>(J(j).Status)),
            ("rowsRead", count, j => J(j).RowsRead),
            ("rowsCreated", count, j => J(j).RowsCreated),
            ("rowsUpdated", count, j => J(j).RowsUpdated),
            ("rowsRefused", count, j => J(j).RowsRefused),
            ("unmappedColumns", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), j => J(j).UnmappedColumns?.Split(", ") ?? []),
            ("errorCode", types.String, j => J(j).ErrorCode),
            ("errorMessage", types.String, j => J(j).ErrorMessage),
            ("errorReportUrl", types.String, j => J(j).RowsRefused > 0 ? ReportPath(J(j).Id) : null),
            ("createdAt", SharedTypes.NonNull(types.DateTime), j => Utc(J(j).CreatedAt)),
            ("startedAt", types.DateTime, j => Utc(J(j).StartedAt)),
            ("finishedAt", types.DateTime, j => Utc(J(j).FinishedAt)));
        job.AddField(new FieldType
        {
            Name = "errors",
            Description = "The refused rows' errors in row order, a page at a time (pass the last one's cursor as after). At most Crm:Import:MaxReportedRows rows are kept.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(rowError)),
            Arguments = new QueryArguments(
                new QueryArgument(types.Int) { Name = "first", DefaultValue = 100 },
                new QueryArgument(types.String) { Name = "after" }),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var after = c.GetArgument<string?>("after") is { } cursor
                    ? long.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture, out var seq) ? seq : throw new CrmException(ErrorCodes.InvalidCursor, "That is not a cursor of these errors.", "after")
                    : 0;
                return await store.ErrorsAsync(crm.Session, J(c.Source!).Id, Math.Clamp(c.GetArgument<int>("first"), 1, 1000), after, c.CancellationToken);
            }),
        });

        context.Query.AddField(new FieldType
        {
            Name = "importJob",
            Description = "An import job you started (any, for an admin); null when there is none.",
            ResolvedType = job,
            Arguments = new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id" }),
            Resolver = Resolve.Async(async (c, crm) => Guid.TryParse(c.GetArgument<string>("id"), out var id)
                ? await jobs.GetAsync(crm.Session, id, c.CancellationToken)
                : throw new CrmException(ErrorCodes.InvalidId, "That is not an import job's id.", "id")),
        });
        context.Query.AddField(new FieldType
        {
            Name = "importJobs",
            Description = "Your import jobs (everyone's, for an admin), newest first.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(job)),
            Arguments = new QueryArguments(new QueryArgument(types.Int) { Name = "first", DefaultValue = 20 }),
            Resolver = Resolve.Async(async (c, crm) => await store.ListAsync(crm.Session, c.GetArgument<int>("first"), c.CancellationToken)),
        });
    }

    private static ImportJobRow J(object source) => (ImportJobRow)source;

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
