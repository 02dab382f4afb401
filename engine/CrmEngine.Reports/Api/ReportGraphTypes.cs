using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Types;
using CrmEngine.Reports.Definitions;
using CrmEngine.Reports.Running;
using CrmEngine.Reports.Sharing;
using CrmEngine.Reports.Storage;
using GraphQL.Types;

namespace CrmEngine.Reports.Api;

/// <summary>The graph types of reports and their results; made anew for every schema build.</summary>
internal sealed class ReportGraphTypes
{
    public const string ReportType = "Report";
    public const string TeamType = "team";

    public ReportGraphTypes(SharedTypes types)
    {
        var text = SharedTypes.NonNull(types.String);
        var count = SharedTypes.NonNull(types.Long);
        Bucket = new EnumerationGraphType<ReportBucket> { Name = "ReportBucket", Description = "A period to group dates by: calendar DAY, WEEK (from Monday), MONTH, QUARTER, YEAR, or FISCAL_QUARTER and FISCAL_YEAR from the report's fiscalYearStartMonth." };
        Function = new EnumerationGraphType<MeasureFunction> { Name = "ReportMeasureFunction", Description = "COUNT of records, or SUM, AVG, MIN, MAX, COUNT_DISTINCT of a field." };
        Comparison = new EnumerationGraphType<PeriodComparison> { Name = "ReportPeriodComparison", Description = "PREVIOUS_PERIOD (MoM on months) or PREVIOUS_YEAR (YoY)." };
        Chart = new EnumerationGraphType<ChartKind> { Name = "ReportChart", Description = "How a client should draw the report." };
        var access = new EnumerationGraphType<ReportAccess> { Name = "ReportAccess", Description = "Who sees a report or dashboard besides its owner and admins: PRIVATE (nobody), SHARED (the users, teams and roles named), PUBLIC (every user of the tenant, not external users)." };
        Sharing = SharedTypes.SourceObject("ReportSharing", "Who sees a report or dashboard; they may run it with their own rights, only the owner and admins change it.",
            ("access", SharedTypes.NonNull(access), s => ((ReportSharing)s).Access),
            ("users", SharedTypes.NonNull(SharedTypes.ListOf(types.Id)), s => ((ReportSharing)s).Users.Select(u => GlobalId.Encode(GlobalId.UserType, u)).ToList()),
            ("teams", SharedTypes.NonNull(SharedTypes.ListOf(types.Id)), s => ((ReportSharing)s).Teams.Select(t => GlobalId.Encode(TeamType, t)).ToList()),
            ("roles", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), s => ((ReportSharing)s).Roles));
        SharingInput = SharedTypes.Input("ReportSharingInput", "Who sees a report or dashboard: access, and for SHARED the users and teams (global ids) and roles (names).",
            ("access", SharedTypes.NonNull(access)), ("users", SharedTypes.ListOf(types.Id)), ("teams", SharedTypes.ListOf(types.Id)), ("roles", SharedTypes.ListOf(types.String)));
        var grouping = SharedTypes.SourceObject("ReportGrouping", "A group key: a field, a lookup, or a date in a bucket.",
            ("field", text, s => ((ReportGrouping)s).Field),
            ("bucket", Bucket, s => ((ReportGrouping)s).Bucket),
            ("timeZone", types.String, s => ((ReportGrouping)s).TimeZone));
        var measure = SharedTypes.SourceObject("ReportMeasure", "A measure: a function over a field, with its share of the total and a period comparison when asked.",
            ("name", text, s => ((ReportMeasure)s).Name),
            ("function", SharedTypes.NonNull(Function), s => ((ReportMeasure)s).Function),
            ("field", types.String, s => ((ReportMeasure)s).Field),
            ("percentOfTotal", SharedTypes.NonNull(types.Boolean), s => ((ReportMeasure)s).PercentOfTotal),
            ("compareTo", Comparison, s => ((ReportMeasure)s).CompareTo));
        Report = SharedTypes.SourceObject(ReportType, "A saved report over one entity.",
            ("id", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(ReportType, R(s).Id)),
            ("name", text, s => R(s).Name),
            ("entity", text, s => R(s).Entity),
            ("folder", types.String, s => R(s).Folder),
            ("sharing", SharedTypes.NonNull(Sharing), s => ReportSharing.Read(R(s).Sharing)),
            ("columns", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), s => D(s).Columns),
            ("filter", types.Json, s => D(s).Filter),
            ("groupBy", SharedTypes.NonNull(SharedTypes.ListOf(grouping)), s => D(s).GroupBy),
            ("pivotBy", grouping, s => D(s).PivotBy),
            ("measures", SharedTypes.NonNull(SharedTypes.ListOf(measure)), s => D(s).Measures),
            ("top", types.Int, s => D(s).Top),
            ("topBy", types.String, s => D(s).TopBy),
            ("fiscalYearStartMonth", SharedTypes.NonNull(types.Int), s => D(s).FiscalYearStartMonth),
            ("chart", SharedTypes.NonNull(Chart), s => D(s).Chart),
            ("ownerId", SharedTypes.NonNull(types.Id), s => GlobalId.Encode(GlobalId.UserType, R(s).OwnerId)),
            ("createdAt", SharedTypes.NonNull(types.DateTime), s => DateTime.SpecifyKind(R(s).CreatedAt, DateTimeKind.Utc)),
            ("updatedAt", SharedTypes.NonNull(types.DateTime), s => DateTime.SpecifyKind(R(s).UpdatedAt, DateTimeKind.Utc)));
        GroupingInput = SharedTypes.Input("ReportGroupingInput", "A group key: a field (a lookup groups by the related record); for dates a bucket, in a time zone (the engine's when left out).",
            ("field", text), ("bucket", Bucket), ("timeZone", types.String));
        var measureInput = SharedTypes.Input("ReportMeasureInput", "A measure. name: unique in the report (default: the function and field, as sumAmount, or count). percentOfTotal: COUNT and SUM only. compareTo: needs a date bucket as the first grouping.",
            ("name", types.String), ("function", SharedTypes.NonNull(Function)), ("field", types.String), ("percentOfTotal", types.Boolean), ("compareTo", Comparison));
        Input = SharedTypes.Input("ReportInput", "A report definition (docs/reports.md). filter: the entity's list filter as JSON. measures default to a COUNT. folder and sharing: left out, they stay as they are (a new report: no folder, private).",
            ("name", text), ("entity", text), ("folder", types.String), ("sharing", SharingInput), ("columns", SharedTypes.ListOf(types.String)), ("filter", types.Json),
            ("groupBy", SharedTypes.ListOf(GroupingInput)), ("pivotBy", GroupingInput), ("measures", SharedTypes.ListOf(measureInput)),
            ("top", types.Int), ("topBy", types.String), ("fiscalYearStartMonth", types.Int), ("chart", Chart));
        RunInput = SharedTypes.Input("ReportRunInput", "What a run adds to the saved report: filter, ANDed with the saved filter.", ("filter", types.Json));
        var key = SharedTypes.SourceObject("ReportKey", "A group key: the field, its value (a global id for lookups and users, a bucket's first day for dates) and its label.",
            ("field", text, s => ((ReportKey)s).Field),
            ("value", types.Json, s => ((ReportKey)s).Value),
            ("label", types.String, s => ((ReportKey)s).Label));
        var value = SharedTypes.SourceObject("ReportValue", "A measure's value, its percent of the report's total, and the earlier period's value and the change from it in percent.",
            ("measure", text, s => ((ReportValue)s).Measure),
            ("value", types.Json, s => ((ReportValue)s).Value),
            ("percentOfTotal", types.Decimal, s => ((ReportValue)s).PercentOfTotal),
            ("previous", types.Json, s => ((ReportValue)s).Previous),
            ("change", types.Decimal, s => ((ReportValue)s).Change));
        var values = SharedTypes.NonNull(SharedTypes.ListOf(value));
        var cell = SharedTypes.SourceObject("ReportCell", "A pivot cell: the pivot key and the row's figures for it.",
            ("key", SharedTypes.NonNull(key), s => ((ReportCell)s).Key),
            ("count", count, s => ((ReportCell)s).Count),
            ("values", values, s => ((ReportCell)s).Values));
        var row = SharedTypes.SourceObject("ReportRow", "A group (keys, count, measures, pivot cells), or in a record report a record (recordId and column values).",
            ("keys", SharedTypes.NonNull(SharedTypes.ListOf(key)), s => ((ReportResultRow)s).Keys),
            ("count", count, s => ((ReportResultRow)s).Count),
            ("values", values, s => ((ReportResultRow)s).Values),
            ("cells", SharedTypes.NonNull(SharedTypes.ListOf(cell)), s => ((ReportResultRow)s).Cells),
            ("recordId", types.Id, s => ((ReportResultRow)s).RecordId),
            ("columns", SharedTypes.NonNull(new ListGraphType(types.Json)), s => ((ReportResultRow)s).Columns));
        Result = SharedTypes.SourceObject("ReportResult", "A report's rows and totals, run with the caller's rights.",
            ("rows", SharedTypes.NonNull(SharedTypes.ListOf(row)), s => ((ReportResult)s).Rows),
            ("totals", SharedTypes.NonNull(row), s => ((ReportResult)s).Totals),
            ("pivotColumns", SharedTypes.NonNull(SharedTypes.ListOf(key)), s => ((ReportResult)s).PivotColumns),
            ("hasMoreRows", SharedTypes.NonNull(types.Boolean), s => ((ReportResult)s).HasMoreRows),
            ("columns", SharedTypes.NonNull(SharedTypes.ListOf(types.String)), s => ((ReportResult)s).Definition.Columns),
            ("chart", SharedTypes.NonNull(Chart), s => ((ReportResult)s).Definition.Chart));
        Payload = SharedTypes.SourceObject("ReportPayload", "What the mutation did; userErrors say why it did nothing.",
            ("report", Report, s => ((ReportOutcome)s).Report),
            ("userErrors", types.UserErrors, s => ((ReportOutcome)s).Errors));
    }

    public EnumerationGraphType<ReportBucket> Bucket { get; }

    public EnumerationGraphType<MeasureFunction> Function { get; }

    public EnumerationGraphType<PeriodComparison> Comparison { get; }

    public EnumerationGraphType<ChartKind> Chart { get; }

    public ObjectGraphType Report { get; }

    public ObjectGraphType Sharing { get; }

    public InputObjectGraphType SharingInput { get; }

    public InputObjectGraphType GroupingInput { get; }

    public InputObjectGraphType Input { get; }

    public InputObjectGraphType RunInput { get; }

    public ObjectGraphType Result { get; }

    public ObjectGraphType Payload { get; }

    /// <summary>A ReportInput's definition; measures without a name get one from their function and field.</summary>
    public static ReportDefinition Read(Dictionary<string, object?> input) => new()
    {
        Entity = input.GetValueOrDefault("entity") as string ?? string.Empty,
        Columns = (input.GetValueOrDefault("columns") as IEnumerable<object?>)?.OfType<string>().ToList() ?? [],
        Filter = input.GetValueOrDefault("filter") is { } filter ? JsonSerializer.SerializeToElement(filter) : null,
        GroupBy = (input.GetValueOrDefault("groupBy") as IEnumerable<object?>)?.OfType<Dictionary<string, object?>>().Select(Grouping).ToList() ?? [],
        PivotBy = input.GetValueOrDefault("pivotBy") is Dictionary<string, object?> pivot ? Grouping(pivot) : null,
        Measures = (input.GetValueOrDefault("measures") as IEnumerable<object?>)?.OfType<Dictionary<string, object?>>().Select(Measure).ToList()
            ?? [new ReportMeasure("count", MeasureFunction.Count)],
        Top = input.GetValueOrDefault("top") as int?,
        TopBy = input.GetValueOrDefault("topBy") as string,
        FiscalYearStartMonth = input.GetValueOrDefault("fiscalYearStartMonth") as int? ?? 1,
        Chart = input.GetValueOrDefault("chart") as ChartKind? ?? ChartKind.Table,
    };

    /// <summary>The name, folder and sharing members of a ReportInput or DashboardInput.</summary>
    public static SharedItemInput Shared(Dictionary<string, object?> input) => new(
        input.GetValueOrDefault("name") as string,
        input.GetValueOrDefault("folder") as string,
        input.ContainsKey("folder"),
        input.GetValueOrDefault("sharing") is Dictionary<string, object?> sharing
            ? new SharingInput((ReportAccess)sharing["access"]!, Strings(sharing, "users"), Strings(sharing, "teams"), Strings(sharing, "roles"))
            : null);

    private static List<string> Strings(Dictionary<string, object?> input, string member) =>
        (input.GetValueOrDefault(member) as IEnumerable<object?>)?.OfType<string>().ToList() ?? [];

    private static ReportGrouping Grouping(Dictionary<string, object?> input) =>
        new((string)input["field"]!, input.GetValueOrDefault("bucket") as ReportBucket?, input.GetValueOrDefault("timeZone") as string);

    private static ReportMeasure Measure(Dictionary<string, object?> input)
    {
        var function = (MeasureFunction)input["function"]!;
        var field = input.GetValueOrDefault("field") as string;
        var name = input.GetValueOrDefault("name") as string
            ?? (function == MeasureFunction.Count ? "count" : char.ToLowerInvariant(function.ToString()[0]) + function.ToString()[1..] + (field is null ? string.Empty : char.ToUpperInvariant(field[0]) + field[1..]));
        return new ReportMeasure(name, function, field, input.GetValueOrDefault("percentOfTotal") as bool? ?? false, input.GetValueOrDefault("compareTo") as PeriodComparison?);
    }

    private static ReportRow R(object source) => (ReportRow)source;

    private static ReportDefinition D(object source) => ReportDefinition.Read(R(source).Definition);
}

/// <summary>What a report mutation answers: the report it saved or deleted, or the errors that stopped it.</summary>
internal sealed record ReportOutcome(ReportRow? Report = null, IReadOnlyList<CrmError>? Errors = null)
{
    public IReadOnlyList<CrmError> Errors { get; init; } = Errors ?? [];
}
