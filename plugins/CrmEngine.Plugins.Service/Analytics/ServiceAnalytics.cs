using System.Globalization;
using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Analytics;

/// <summary>
/// <c>serviceAnalytics(groupBy, from, to)</c> (服务统计): per agent, channel, category, account or
/// month, over the cases received in the range that the caller can read: volume, backlog (not yet
/// resolved or closed), average first response and resolution times (calendar minutes from
/// receipt), SLA compliance (met among the cases whose resolution target was met or breached, %)
/// and average satisfaction. Computed from the cases themselves, one pass.
/// </summary>
internal sealed class ServiceAnalytics : IPluginOperation
{
    public string Name => "serviceAnalytics";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Service figures per agent, channel, category, account or month: volume, backlog, average first response and resolution minutes, SLA compliance (%), average CSAT.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("groupBy", TypeRef.Enum("ServiceAnalyticsGroup", "AGENT", "CHANNEL", "CATEGORY", "ACCOUNT", "MONTH").NonNull()),
        new("from", TypeRef.DateTime, "Cases received at or after this instant."),
        new("to", TypeRef.DateTime, "Cases received before this instant."),
    ];

    public TypeRef Result => TypeRef.ListOf(TypeRef.Object("ServiceFigures",
        new FieldRef("key", TypeRef.String, "The agent's user id, the channel, the category, the account's id or the month (yyyy-MM); null for cases without one."),
        new FieldRef("volume", TypeRef.Int.NonNull()),
        new FieldRef("backlog", TypeRef.Int.NonNull()),
        new FieldRef("averageFirstResponseMinutes", TypeRef.Decimal),
        new FieldRef("averageResolutionMinutes", TypeRef.Decimal),
        new FieldRef("slaCompliancePercent", TypeRef.Decimal),
        new FieldRef("averageCsat", TypeRef.Decimal),
        new FieldRef("csatAnswers", TypeRef.Int.NonNull()))).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var from = context.Argument<DateTime?>("from")?.ToUniversalTime();
        var to = context.Argument<DateTime?>("to")?.ToUniversalTime();
        if (from is { } f && to is { } t && f >= t)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "The range's start must come before its end.", "from");
        }

        var groupBy = context.Argument<string>("groupBy");
        var groups = new SortedDictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
        await foreach (var @case in context.Records.QueryAllAsync(CaseEntity.Name, cancellationToken: cancellationToken))
        {
            var received = @case.GetValue<DateTime?>("receivedAt") ?? @case.CreatedAt;
            if ((from is { } start && received < start) || (to is { } end && received >= end))
            {
                continue;
            }

            var key = groupBy switch
            {
                "AGENT" => @case.OwnerId?.ToString(),
                "CHANNEL" => @case.GetValue<string>("channel"),
                "CATEGORY" => @case.GetValue<string>("category"),
                "ACCOUNT" => @case.GetValue<Guid?>("account")?.ToString(),
                _ => received.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            } ?? string.Empty;
            (groups.TryGetValue(key, out var list) ? list : groups[key] = []).Add(@case);
        }

        return groups.Select(g => Figures(g.Key, g.Value)).ToList();
    }

    private static Dictionary<string, object?> Figures(string key, List<CrmRecord> cases)
    {
        static DateTime Received(CrmRecord c) => c.GetValue<DateTime?>("receivedAt") ?? c.CreatedAt;
        static decimal? Average(IEnumerable<decimal> values) => values.Any() ? Math.Round(values.Average(), 2) : null;
        decimal? MinutesTo(string field) => Average(cases.Where(c => c.GetValue<DateTime?>(field) is not null)
            .Select(c => (decimal)(c.GetValue<DateTime>(field) - Received(c)).TotalMinutes));
        var judged = cases.Where(c => c.GetValue<string>("slaState") is "met" or "breached").ToList();
        var answers = cases.Select(c => c.GetValue<long?>("csatScore")).OfType<long>().ToList();
        return new Dictionary<string, object?>
        {
            ["key"] = key.Length == 0 ? null : key,
            ["volume"] = cases.Count,
            ["backlog"] = cases.Count(c => c.GetValue<string>("status") is not (CaseLifecycle.Resolved or CaseLifecycle.Closed)),
            ["averageFirstResponseMinutes"] = MinutesTo("firstRespondedAt"),
            ["averageResolutionMinutes"] = MinutesTo("resolvedAt"),
            ["slaCompliancePercent"] = judged.Count == 0 ? null : Math.Round(100m * judged.Count(c => c.GetValue<string>("slaState") == "met") / judged.Count, 2),
            ["averageCsat"] = Average(answers.Select(a => (decimal)a)),
            ["csatAnswers"] = answers.Count,
        };
    }
}
