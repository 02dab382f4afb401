using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CrmEngine.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CrmEngine.Host.Tests.Observability;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT (and the protocol) configured, the host sends its traces and
/// metrics over OTLP/HTTP as protobuf to that endpoint; here, a small collector that keeps what it
/// gets. (An HttpListener, not a second ASP.NET Core app: WebApplicationFactory takes the next host
/// built in the process for its own, and a test host starting meanwhile could get this one.)
/// </summary>
public sealed class OtlpExportTests : IDisposable
{
    private readonly ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> _received = new();
    private readonly HttpListener _collector = new();
    private readonly string _endpoint;

    public OtlpExportTests()
    {
        _endpoint = $"http://127.0.0.1:{ChildProcess.FreePort()}/";
        _collector.Prefixes.Add(_endpoint);
        _collector.Start();
        _ = CollectAsync();
    }

    public void Dispose() => _collector.Close();

    private async Task CollectAsync()
    {
        while (_collector.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _collector.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            // An empty Export*ServiceResponse: the export succeeded.
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    [Fact]
    public async Task Traces_and_metrics_reach_the_configured_otlp_endpoint_as_protobuf()
    {
        var endpoint = _endpoint.TrimEnd('/');
        using var host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var client = await host.NewTenantAsync();
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ __typename }" }) };
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await client.Http.SendAsync(request)).EnsureSuccessStatusCode();

        // Exported now rather than on the exporters' schedules (seconds for traces, a minute for metrics).
        Assert.True(host.Service<TracerProvider>().ForceFlush(10_000));
        Assert.True(host.Service<MeterProvider>().ForceFlush(10_000));

        var traceBytes = new byte[16];
        trace.CopyTo(traceBytes);
        var traces = _received.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        Assert.All(traces, t => Assert.Equal("application/x-protobuf", t.ContentType));
        Assert.Contains(traces, t => t.Body.AsSpan().IndexOf(traceBytes) >= 0 && Contains(t.Body, "crm.graphql"));
        var metrics = _received.Where(r => r.Path == "/v1/metrics").ToList();
        Assert.Contains(metrics, m => Contains(m.Body, "crm.graphql.requests") && Contains(m.Body, "http.server.request.duration"));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}

/// <summary>Without an OTLP endpoint the host builds no tracer or meter provider: nothing listens, nothing is exported.</summary>
[Collection(HostGroup.Name)]
public sealed class TelemetryOffTests(HostFixture fixture)
{
    [Fact]
    public void Without_an_otlp_endpoint_nothing_is_collected_or_exported()
    {
        Assert.Null(fixture.Host.Services.GetService<TracerProvider>());
        Assert.Null(fixture.Host.Services.GetService<MeterProvider>());
    }
}
