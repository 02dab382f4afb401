using System.Text.Json;
using CrmEngine.Engine.Diagnostics;
using CrmEngine.GraphQL.Execution.Writing;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CrmEngine.Host.Observability;

/// <summary>
/// How the host is watched: OpenTelemetry traces and metrics (exported over OTLP only when an
/// OTEL_EXPORTER_OTLP_* endpoint is configured), health endpoints, JSON console logs on request,
/// and one correlation id per request in its errors, its response and its log lines.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>Set to true for one JSON object per log line on the console, with scopes (the correlation id, the trace id).</summary>
    public const string JsonLogsSetting = "Crm:Logging:Json";

    private const string ReadyTag = "ready";

    /// <summary>The standard variables that name an OTLP endpoint; any of them turns the exporter on.</summary>
    private static readonly string[] OtlpEndpointSettings =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"];

    public static WebApplicationBuilder AddCrmObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // What a tracer or meter provider collects, whoever builds one (the OTLP export below, or a
        // test's in-memory exporter). Nothing is built, and nothing listens, unless one is.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(CrmTelemetry.Name)
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
            .AddHttpClientInstrumentation()
            .AddEntityFrameworkCoreInstrumentation()
            .AddNpgsql());
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(CrmTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddNpgsqlInstrumentation());
        if (OtlpConfigured(builder.Configuration))
        {
            // Endpoint, protocol, headers, timeouts, service name: the standard OTEL_* variables.
            services.AddOpenTelemetry().UseOtlpExporter();
        }

        if (builder.Configuration.GetValue<bool>(JsonLogsSetting))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        services.AddHealthChecks()
            .AddCheck<CatalogHealthCheck>("catalog", tags: [ReadyTag])
            .AddCheck<TenantStoresHealthCheck>("tenant-stores", tags: [ReadyTag]);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (Correlation.Current is { } id)
            {
                c.ProblemDetails.Extensions[CorrelatedErrorInfoProvider.Key] = id;
            }
        });
        return builder;
    }

    /// <summary>The correlation id for everything after it, the exception handler's log lines and answers included.</summary>
    public static WebApplication UseCrmCorrelation(this WebApplication app)
    {
        app.UseMiddleware<CorrelationMiddleware>();
        return app;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the catalog and the open tenant stores answer too; 503 with the reason when not.</summary>
    public static WebApplication MapCrmHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    private static bool OtlpConfigured(ConfigurationManager configuration) =>
        OtlpEndpointSettings.Any(name => !string.IsNullOrWhiteSpace(configuration[name]));

    /// <summary>{"status":"Unhealthy","checks":{"catalog":{"status":"Healthy","description":null}, ...}}, never cached.</summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(http.Response.Body, body, cancellationToken: http.RequestAborted);
    }
}
