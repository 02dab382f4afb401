using System.Net;
using System.Net.Http.Headers;
using System.Reflection;

namespace CrmEngine.Host.Tests.Support;

/// <summary>The real host in a process of its own (dotnet CrmEngine.Host.dll), as an operator starts it.</summary>
public static class HostProcess
{
    /// <summary>The host's own build output: CrmEngine.Host.dll with the module plugins in plugins/ beside it.</summary>
    public static string BuildOutput { get; } = Path.GetFullPath(typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HostOutputDirectory").Value!);

    /// <summary>The module plugins (sales) as the host's build places them: the plugin folder of in-process hosts that need them.</summary>
    public static string ModulePlugins { get; } = Path.Combine(BuildOutput, "plugins");

    /// <summary>Starts <c>dotnet CrmEngine.Host.dll</c> from <paramref name="hostDirectory"/> in <paramref name="workingDirectory"/>, in production mode.</summary>
    public static ChildProcess Start(string hostDirectory, string workingDirectory, string[] arguments, IDictionary<string, string?> environment)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return ChildProcess.Start("dotnet", [Path.Combine(hostDirectory, "CrmEngine.Host.dll"), .. arguments], workingDirectory, environment);
    }

    /// <summary>Whether the host answers /health on <paramref name="port"/>, asking until it does, it exits, or the attempts run out.</summary>
    public static async Task<bool> AnswersAsync(ChildProcess host, int port, int attempts = 600)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < attempts && !host.HasExited; attempt++)
        {
            try
            {
                return (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException) when (attempt + 1 < attempts)
            {
                await Task.Delay(100);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>A GraphQL client of the host on <paramref name="port"/> with <paramref name="key"/>.</summary>
    public static TenantClient Client(int port, string tenantId, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new TenantClient(tenantId, key, http);
    }
}
