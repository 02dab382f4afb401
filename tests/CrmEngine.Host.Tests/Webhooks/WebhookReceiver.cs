using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Host.Tests.Webhooks;

/// <summary>A request the receiver got: its path, headers and body as sent.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No {name} header.");
}

/// <summary>
/// A real HTTP server on a loopback port, playing an integrator's webhook endpoint: it records every
/// request and answers with the status codes a test queues (200 once they run out). <c>/moved</c>
/// always answers 302 to <c>/hook</c>, for checking that redirects are not followed.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request answers 500 from now on, until <see cref="AnswerWith"/> is called.</summary>
    public bool FailEverything { get; set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public string Url(string path = "/hook") => new Uri(BaseAddress, path).ToString();

    /// <summary>The next requests are answered with these codes, in order; later ones with 200.</summary>
    public void AnswerWith(params int[] codes)
    {
        FailEverything = false;
        foreach (var code in codes)
        {
            _answers.Enqueue(code);
        }
    }

    /// <summary>Waits (at most 15 s) until <paramref name="count"/> requests came in; returns them.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (_received.Count < count && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedRequest(http.Request.Path, headers, body));
        if (http.Request.Path == "/moved")
        {
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = Url("/hook");
            return;
        }

        http.Response.StatusCode = FailEverything ? 500 : _answers.TryDequeue(out var code) ? code : 200;
        if (http.Response.StatusCode >= 400)
        {
            await http.Response.WriteAsync("receiver says no");
        }
    }
}
