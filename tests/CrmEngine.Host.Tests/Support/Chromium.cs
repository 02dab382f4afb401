using System.Collections.Concurrent;
using CrmEngine.Testing;
using Microsoft.Playwright;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// Debian's chromium, headless, driven by Playwright (whose own browser builds are never
/// downloaded). <c>.ci/run</c> installs it; <c>CRM_TEST_CHROMIUM</c> names another binary.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CRM_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    /// <summary>Launches a fresh browser (a new profile each time) that makes no requests of its own.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>Lets the context reach only <paramref name="origins"/>: any other request is refused and recorded.</summary>
    public static async Task<ConcurrentQueue<string>> IsolateAsync(IBrowserContext context, params string[] origins)
    {
        var elsewhere = new ConcurrentQueue<string>();
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (origins.Any(o => url.StartsWith(o + "/", StringComparison.Ordinal)))
            {
                await route.ContinueAsync();
            }
            else
            {
                elsewhere.Enqueue(url);
                await route.AbortAsync();
            }
        });
        context.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("data:", StringComparison.Ordinal) && !origins.Any(o => request.Url.StartsWith(o + "/", StringComparison.Ordinal)))
            {
                elsewhere.Enqueue(request.Url);
            }
        };
        return elsewhere;
    }
}

/// <summary>One browser for a test class, closed with it.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            // Outside CI the tests skip themselves; under CI a missing browser fails them all.
            Assert.False(TestStorage.InCi, $"CI=true, but chromium is not installed at {Chromium.ExecutablePath} (.ci/run installs it).");
            return;
        }

        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// A test in real headless Chromium. Skipped with directions outside CI when chromium is not
/// installed; under CI (CI=true) it always runs, and fails if chromium is missing.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.IsInstalled && !TestStorage.InCi)
        {
            Skip = $"Needs chromium at {Chromium.ExecutablePath}: apt-get install chromium (bash .ci/run does), or set CRM_TEST_CHROMIUM.";
        }
    }
}
