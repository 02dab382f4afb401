using System.Globalization;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.GraphQL.Fuzzing;

/// <summary>
/// The endpoint under a fixed-seed fuzz of at least 10,000 hostile requests (CRM_FUZZ_CASES sets
/// more, CRM_FUZZ_SEED another seed): none is answered with a 5xx, none shows a stack trace or an
/// exception's type, none is an INTERNAL_ERROR (an unforeseen failure the client cannot act on), and
/// the host serves a normal request afterwards.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class EndpointFuzzTests
{
    private const int DefaultCases = 10_000;

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_no_stack_trace_and_no_internal_error()
    {
        using var host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["Crm:Endpoint:PerCaller:PermitsPerSecond"] = "1000000",
            ["Crm:Endpoint:PerCaller:Burst"] = "1000000",
            ["Crm:Endpoint:PerTenant:PermitsPerSecond"] = "1000000",
            ["Crm:Endpoint:PerTenant:Burst"] = "1000000",
            ["Crm:Endpoint:Expensive:PerCaller"] = "8",
            ["Crm:Endpoint:Expensive:PerTenant"] = "8",
        });
        using var client = await host.NewTenantAsync();
        await DefineEveryFieldTypeAsync(client);

        var count = int.TryParse(Environment.GetEnvironmentVariable("CRM_FUZZ_CASES"), CultureInfo.InvariantCulture, out var configured) ? Math.Max(configured, DefaultCases) : DefaultCases;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CRM_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : 20261206;
        var generator = new FuzzCases(seed);
        var cases = Enumerable.Range(0, count).Select(generator.Next).ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (fuzz, cancellationToken) =>
        {
            using var request = fuzz.Request();
            using var response = await client.Http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if ((int)response.StatusCode >= 500 || LooksLikeAStackTrace(body) || body.Contains("INTERNAL_ERROR", StringComparison.Ordinal))
            {
                failures.Add($"#{fuzz.Number} {fuzz.Kind}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}\n    sent: {fuzz.Sample}");
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {count} requests (seed {seed}) failed:\n" + string.Join('\n', failures.Take(20)));
        Assert.Equal(count, statuses.Values.Sum());
        Assert.NotNull((await client.QueryAsync("{ metadataVersion }"))["metadataVersion"]);
    }

    private static bool LooksLikeAStackTrace(string body) =>
        body.Contains("   at ", StringComparison.Ordinal) || body.Contains(".cs:line", StringComparison.Ordinal)
        || body.Contains("Exception", StringComparison.Ordinal) || body.Contains("System.", StringComparison.Ordinal);

    /// <summary>The projects entity with a field of every type, and a few records.</summary>
    private static async Task DefineEveryFieldTypeAsync(TenantClient client)
    {
        await DefineProjectsAsync(client);
        object[] more =
        [
            Field("notes", "LONG_TEXT", new { searchable = true }), Field("ratio", "DECIMAL"), Field("endsAt", "DATE_TIME"), Field("phone", "PHONE"), Field("site", "URL"),
            Field("tags", "MULTI_PICKLIST", new { options = new[] { new { value = "a", labels = Labels("A", "甲") }, new { value = "b", labels = Labels("B", "乙") } } }),
        ];
        foreach (var field in more)
        {
            await client.MutateAsync(AddField, new { entity = "project", input = field });
        }

        for (var i = 0; i < 5; i++)
        {
            await client.MutateAsync($"mutation {{ createProject(input: {{ title: \"项目 {i}\", notes: \"项目笔记 {i}\", headcount: {i}, ratio: {i}.5, tags: [\"a\"] }}) {{ userErrors {{ code }} }} }}");
        }
    }
}
