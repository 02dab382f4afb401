using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Records.Querying.Aggregation;
using CrmEngine.GraphQL.Records;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Reports.Definitions;

/// <summary>
/// Checks a definition against the tenant's metadata, every part at once, so a save is refused with
/// all that is wrong (typed codes, each naming the part) and nothing is written. Runs check again:
/// the metadata may have changed since the save. Rights are not checked here but when the report
/// runs, as its caller.
/// </summary>
public static class ReportValidator
{
    public const int MaxColumns = 50;
    public const int MaxMeasures = 10;

    public static IReadOnlyList<CrmError> Check(CrmSession session, ReportDefinition definition, int maxGroups, DateTime now)
    {
        var errors = new List<CrmError>();
        if (session.Metadata.Find(definition.Entity) is not { } entity)
        {
            errors.Add(new CrmError(ErrorCodes.UnknownEntity, $"There is no entity '{definition.Entity}'.", "entity"));
            return errors;
        }

        CheckColumns(session.Metadata, entity, definition, errors);
        CheckFilter(session, entity, definition, now, errors);
        CheckGroupings(entity, definition, errors);
        CheckMeasures(entity, definition, errors);
        if (definition.Top is { } top && (top < 1 || top > maxGroups))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, $"top is 1 to {maxGroups}.", "top"));
        }

        if (definition.TopBy is { } topBy && definition.Measures.All(m => m.Name != topBy))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, $"topBy names no measure of the report ('{topBy}').", "topBy"));
        }

        return errors;
    }

    /// <summary>The field a column path names (<c>name</c>, or <c>account.name</c> through a lookup), and the lookup it goes through.</summary>
    public static (FieldDefinition? Lookup, EntityDefinition Entity, string Field)? Column(MetadataSnapshot metadata, EntityDefinition entity, string path)
    {
        var parts = path.Split('.');
        if (parts.Length == 1)
        {
            return Exists(entity, parts[0]) ? (null, entity, parts[0]) : null;
        }

        if (parts.Length != 2 || entity.FindField(parts[0]) is not { Type: FieldType.Lookup } lookup || metadata.Find(lookup.LookupEntity!) is not { } target)
        {
            return null;
        }

        return Exists(target, parts[1]) ? (lookup, target, parts[1]) : null;
    }

    private static bool Exists(EntityDefinition entity, string field) => QueryColumn.SystemColumn(field) is not null || entity.FindField(field) is not null;

    private static void CheckColumns(MetadataSnapshot metadata, EntityDefinition entity, ReportDefinition definition, List<CrmError> errors)
    {
        if (definition.Columns.Count > MaxColumns)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, $"A report has at most {MaxColumns} columns.", "columns"));
        }

        if (definition.Columns.Count > 0 && definition.GroupBy.Count > 0)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, "Columns list records; a grouped report shows its groups' keys and measures instead.", "columns"));
        }

        for (var i = 0; i < definition.Columns.Count; i++)
        {
            if (Column(metadata, entity, definition.Columns[i]) is null)
            {
                errors.Add(new CrmError(ErrorCodes.UnknownField, $"'{definition.Columns[i]}' is not a field of {entity.Name} or of a record it looks up.", $"columns[{i}]"));
            }
        }
    }

    private static void CheckFilter(CrmSession session, EntityDefinition entity, ReportDefinition definition, DateTime now, List<CrmError> errors)
    {
        try
        {
            if (Filter(session.Metadata, entity, definition) is { } filter)
            {
                // Building the query expression checks every field, operator and operand.
                using var context = session.CreateContext();
                PredicateBuilder.Build(new QueryContext(session.Metadata, context, now, TimeZoneInfo.Utc), entity, filter);
            }
        }
        catch (CrmException e)
        {
            errors.AddRange(e.Errors.Select(x => x with { Field = "filter" + (x.Field is null ? string.Empty : "." + x.Field) }));
        }
    }

    /// <summary>The saved filter as the engine's condition, read as a list query's filter argument is.</summary>
    public static Condition? Filter(MetadataSnapshot metadata, EntityDefinition entity, ReportDefinition definition) =>
        definition.Filter is { } json ? FilterInput.Read(metadata, entity, RuleFilterReader.Parse(json.GetRawText()) as IDictionary<string, object?>) : null;

    private static void CheckGroupings(EntityDefinition entity, ReportDefinition definition, List<CrmError> errors)
    {
        if (definition.AllGroupings.Count > AggregateQuery.MaxGroupKeys)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, $"A report groups by at most {AggregateQuery.MaxGroupKeys} keys, the pivot's included.", "groupBy"));
        }

        if (definition.PivotBy is not null && definition.GroupBy.Count == 0)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, "A pivot needs row groupings to cross with.", "pivotBy"));
        }

        if (definition.FiscalYearStartMonth is < 1 or > 12)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidBucket, "A fiscal year starts in month 1 to 12.", "fiscalYearStartMonth"));
        }

        var named = definition.GroupBy.Select((g, i) => (g, $"groupBy[{i}]")).ToList();
        if (definition.PivotBy is { } pivot)
        {
            named.Add((pivot, "pivotBy"));
        }

        foreach (var (grouping, path) in named)
        {
            QueryColumn column;
            try
            {
                column = QueryColumn.Resolve(entity, grouping.Field);
            }
            catch (CrmException)
            {
                errors.Add(new CrmError(ErrorCodes.UnknownField, $"{entity.Name} has no field '{grouping.Field}'.", path + ".field"));
                continue;
            }

            if (column.Field is { } field && !field.Of().IsGroupable)
            {
                errors.Add(new CrmError(ErrorCodes.InvalidReport, $"Records can't be grouped by '{field.Name}', a {field.Type} field.", path + ".field"));
            }

            var core = Nullable.GetUnderlyingType(column.ClrType) ?? column.ClrType;
            if (grouping.Bucket is not null && core != typeof(DateTime) && core != typeof(DateOnly))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidBucket, $"Date buckets apply to date and date-time fields, not '{grouping.Field}'.", path + ".bucket"));
            }

            if (grouping.TimeZone is { } zone && (grouping.Bucket is null || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidBucket, $"'{zone}' is not a time zone a bucket can be taken in.", path + ".timeZone"));
            }
        }
    }

    private static void CheckMeasures(EntityDefinition entity, ReportDefinition definition, List<CrmError> errors)
    {
        if (definition.Measures.Count is 0 or > MaxMeasures)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, $"A report has 1 to {MaxMeasures} measures.", "measures"));
        }

        if (definition.Measures.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add(new CrmError(ErrorCodes.InvalidReport, $"Two measures are named '{twice.Key}'.", "measures"));
        }

        for (var i = 0; i < definition.Measures.Count; i++)
        {
            var measure = definition.Measures[i];
            var path = $"measures[{i}]";
            if (!Naming.IsValidApiName(measure.Name))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidReport, $"'{measure.Name}' is not a measure name (a camelCase identifier).", path + ".name"));
            }

            if (CheckField(entity, measure) is { } error)
            {
                errors.Add(error with { Field = path + (error.Field ?? string.Empty) });
            }

            if (measure.PercentOfTotal && measure.Function is not (MeasureFunction.Count or MeasureFunction.Sum))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidMeasure, "A share of the total is taken of counts and sums, which add up to it.", path + ".percentOfTotal"));
            }

            if (measure.CompareTo is not null && (definition.GroupBy.Count == 0 || definition.GroupBy[0].Bucket is null))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidReport, "A period comparison needs the first grouping to be a date bucket.", path + ".compareTo"));
            }
        }
    }

    private static CrmError? CheckField(EntityDefinition entity, ReportMeasure measure)
    {
        if (measure.Function == MeasureFunction.Count)
        {
            return measure.Field is null ? null : new CrmError(ErrorCodes.InvalidMeasure, "COUNT counts records, not a field's values (COUNT_DISTINCT does).", ".field");
        }

        if (measure.Field is null)
        {
            return new CrmError(ErrorCodes.Required, $"{measure.Function} needs a field.", ".field");
        }

        QueryColumn column;
        try
        {
            column = QueryColumn.Resolve(entity, measure.Field);
        }
        catch (CrmException)
        {
            return new CrmError(ErrorCodes.UnknownField, $"{entity.Name} has no field '{measure.Field}'.", ".field");
        }

        return column.Allows(Aggregate(measure.Function)) ? null : new CrmError(ErrorCodes.InvalidMeasure, $"{measure.Function} does not apply to '{measure.Field}'{(column.Field is { } f ? $", a {f.Type} field" : string.Empty)}.", ".field");
    }

    /// <summary>The engine's aggregate function for a measure other than COUNT.</summary>
    public static AggregateFunction Aggregate(MeasureFunction function) => function switch
    {
        MeasureFunction.Sum => AggregateFunction.Sum,
        MeasureFunction.Avg => AggregateFunction.Avg,
        MeasureFunction.Min => AggregateFunction.Min,
        MeasureFunction.Max => AggregateFunction.Max,
        MeasureFunction.CountDistinct => AggregateFunction.CountDistinct,
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "COUNT is every group's count."),
    };
}
