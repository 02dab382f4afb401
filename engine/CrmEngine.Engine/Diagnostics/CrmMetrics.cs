using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CrmEngine.Engine.Diagnostics;

/// <summary>
/// The engine's metrics, on one <see cref="Meter"/> named <see cref="CrmTelemetry.Name"/> (made by the
/// host's <see cref="IMeterFactory"/>, so each host's meter is its own). Tags are few and bounded:
/// operation kinds and outcomes, never tenants, entities or ids. An instrument nobody listens to
/// records nothing.
/// </summary>
public sealed class CrmMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public CrmMetrics(IMeterFactory? meters = null)
    {
        _ownsMeter = meters is null;
        _meter = meters?.Create(CrmTelemetry.Name) ?? new Meter(CrmTelemetry.Name);
        Requests = _meter.CreateCounter<long>("crm.graphql.requests", "{request}",
            "GraphQL operations, by operation type (query, mutation) and outcome (ok, error: with errors, refused: nothing ran).");
        WriteDuration = _meter.CreateHistogram<double>("crm.write.duration", "s",
            "How long a write took through the pipeline (validate, hooks, persist), by operation and outcome (ok, refused, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        OutboxLag = _meter.CreateHistogram<double>("crm.outbox.lag", "s",
            "How long a committed change waited in the outbox before its after stage ran.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
        RuleLimitHits = _meter.CreateCounter<long>("crm.rules.limit_hits", "{run}",
            "Rule runs stopped for going past a limit, by limit (time, statements, memory, recursion, regex, ...).");
    }

    public Counter<long> Requests { get; }

    public Histogram<double> WriteDuration { get; }

    public Histogram<double> OutboxLag { get; }

    public Counter<long> RuleLimitHits { get; }

    /// <summary>Records a write's duration since <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void WriteDone(long started, string operation, string outcome)
    {
        if (WriteDuration.Enabled)
        {
            WriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new(CrmTelemetry.OperationTag, operation), new(CrmTelemetry.OutcomeTag, outcome));
        }
    }

    public void Dispose()
    {
        // A meter from the factory is the factory's to dispose.
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
