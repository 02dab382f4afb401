using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CrmEngine.Host.Tests.Observability;

/// <summary>
/// A host whose OpenTelemetry tracer provider (the host's own wiring: sources and instrumentation)
/// exports into memory, whose engine metrics are listened to, and whose log lines are kept. Only
/// traces a test starts (a sampled traceparent) are recorded, so the other hosts in this process
/// neither pay for tracing nor show up here.
/// </summary>
public sealed class TelemetryFixture : IDisposable
{
    private readonly MeterListener _meters = new();

    public TelemetryFixture()
    {
        Host = new CrmHost(settings: CrmHost.Unthrottled(new Dictionary<string, string?> { ["Crm:Rules:Limits:MaxStatements"] = "5000" }))
        {
            ConfigureTestServices = services =>
            {
                services.AddSingleton<ILoggerProvider>(Logs);
                services.AddOpenTelemetry().WithTracing(t => t
                    .SetSampler(new ParentBasedSampler(new AlwaysOffSampler()))
                    .AddProcessor(new SimpleActivityExportProcessor(Spans)));
            },
        };

        // This host's meter only: each host's engine meter comes from its own meter factory.
        var factory = Host.Service<IMeterFactory>();
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CrmTelemetry.Name && instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
        _meters.Start();
    }

    public CrmHost Host { get; }

    public SpanExporter Spans { get; } = new();

    public LogCapture Logs { get; } = new();

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    public void Dispose()
    {
        _meters.Dispose();
        Host.Dispose();
    }

    /// <summary>One measurement of one of the engine's instruments, with its tags.</summary>
    public sealed record Measurement(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
    }

    /// <summary>The finished spans, in memory.</summary>
    public sealed class SpanExporter : BaseExporter<Activity>
    {
        private readonly ConcurrentQueue<Activity> _spans = new();

        /// <summary>The finished spans of one trace.</summary>
        public IReadOnlyList<Activity> Of(ActivityTraceId trace) => _spans.Where(s => s.TraceId == trace).ToList();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                _spans.Enqueue(span);
            }

            return ExportResult.Success;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryGroup : ICollectionFixture<TelemetryFixture>
{
    public const string Name = "telemetry";
}
