using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.Observability;

/// <summary>
/// With Crm:Logging:Json the host writes one JSON object per log line on its console, scopes
/// included, so a request's lines carry its correlation id: the real host in its own process.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class JsonLogTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Json_console_logs_carry_the_requests_correlation_id_in_their_scopes()
    {
        var port = ChildProcess.FreePort();
        await using var host = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "CrmEngine.Host.dll")], AppContext.BaseDirectory, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Crm__DataDirectory"] = _data,
            ["Crm__DefaultPlugins"] = " ",
            ["Crm__CreateDemoTenant"] = "false",
            ["Crm__Logging__Json"] = "true",
            // Routing says which endpoint runs, from inside the request: a line written under its scope.
            ["Logging__LogLevel__Microsoft.AspNetCore.Routing"] = "Information",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var id = "json-" + Guid.NewGuid().ToString("N");

        using var response = await SendWhenUpAsync(host, http, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = await LoggedWithAsync(host, id);
        Assert.NotNull(line);
        Assert.True(line.Value.TryGetProperty("Timestamp", out _));
        Assert.Equal("Information", line.Value.GetProperty("LogLevel").GetString());
    }

    private static async Task<HttpResponseMessage> SendWhenUpAsync(ChildProcess host, HttpClient http, string id)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
                request.Headers.Add("X-Correlation-Id", id);
                return await http.SendAsync(request);
            }
            catch (HttpRequestException) when (!host.HasExited && started.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The first JSON line on the host's console whose scopes hold CorrelationId = <paramref name="id"/>, once it is written.</summary>
    private static async Task<JsonElement?> LoggedWithAsync(ChildProcess host, string id)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            foreach (var text in host.Output.Split('\n').Where(l => l.StartsWith('{')))
            {
                var line = JsonDocument.Parse(text).RootElement;
                if (line.TryGetProperty("Scopes", out var scopes) && scopes.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("CorrelationId", out var value) && value.GetString() == id))
                {
                    return line;
                }
            }

            await Task.Delay(100);
        }

        return null;
    }
}
