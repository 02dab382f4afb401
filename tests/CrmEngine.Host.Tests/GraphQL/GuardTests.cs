using System.Diagnostics;
using System.Net;
using System.Text;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>The endpoint's guards refuse abuse quickly and clearly while normal clients keep being served.</summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class GuardTests(GuardTests.Fixture fixture) : IClassFixture<GuardTests.Fixture>
{
    private readonly CrmHost _host = fixture.Host;

    /// <summary>Tight limits per caller; each test's tenants have keys of their own, so their budgets are their own.</summary>
    public sealed class Fixture() : SharedHostFixture(new Dictionary<string, string?>
    {
        ["Crm:Endpoint:PerCaller:PermitsPerSecond"] = "5",
        ["Crm:Endpoint:PerCaller:Burst"] = "10",
        ["Crm:Endpoint:PerTenant:PermitsPerSecond"] = "1000",
        ["Crm:Endpoint:PerTenant:Burst"] = "1000",
    });

    [Fact]
    public async Task A_50_mb_body_is_refused_with_413_before_it_is_read()
    {
        using var client = await _host.NewTenantAsync();
        var huge = "{\"query\": \"{ metadataVersion }\", \"variables\": {\"x\": \"" + new string('x', 50 * 1024 * 1024) + "\"}}";
        var watch = Stopwatch.StartNew();
        // Like curl does for large bodies: ask first, so the refusal can arrive before the upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await client.Http.SendAsync(request);
        var body = await GraphQLResponse.ReadAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, body.Status);
        Assert.Contains("larger than", body.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ metadataVersion }")).Status);
    }

    [Fact]
    public async Task A_flood_above_the_rate_limit_gets_429_with_retry_after_and_others_are_still_served()
    {
        using var flooder = await _host.NewTenantAsync();
        using var bystander = await _host.NewTenantAsync();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
        {
            responses.Add(await flooder.Http.PostAsync("/graphql", RawBody.Json("{\"query\": \"{ metadataVersion }\"}")));
        }

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var error = await GraphQLResponse.ReadAsync(refused[0]);
        Assert.Equal("RATE_LIMITED", error.FirstErrorCode);
        Assert.True(int.Parse(responses[0].Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.Equal("10", responses[0].Headers.GetValues("RateLimit-Limit").Single());

        Assert.Equal(HttpStatusCode.OK, (await bystander.PostAsync("{ metadataVersion }")).Status);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Each_operation_of_a_batch_counts_against_the_rate_limit()
    {
        using var client = await _host.NewTenantAsync();
        var batch = System.Text.Json.JsonSerializer.Serialize(Enumerable.Repeat(new { query = "{ metadataVersion }" }, 10));

        // A burst of 10 admits one batch of 10; 5 more a second come back, too few for another.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.Http.PostAsync("/graphql", RawBody.Json(batch));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
