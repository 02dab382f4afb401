using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Endpoints.EndpointHostFixture;

namespace CrmEngine.Host.Tests.Endpoints;

/// <summary>
/// Plugins' public endpoints called with the tenant's key (an inbound webhook), and the host's guards
/// around every endpoint: routes, the plugin enabled per tenant, the body limit, the deadline, and a
/// handler that fails.
/// </summary>
[Collection(EndpointHostGroup.Name)]
public sealed class KeyedEndpointTests(EndpointHostFixture fixture)
{
    private static HttpRequestMessage Webhook(TenantClient tenant, string body, string kind = "signup")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/p/forms/hooks/{kind}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Key);
        request.Headers.Add("X-Signature", "sha256=abc");
        return request;
    }

    [Fact]
    public async Task A_webhook_with_the_tenants_key_writes_as_the_keys_user_and_sees_no_credentials()
    {
        using var tenant = await fixture.TenantAsync();
        using var visitor = fixture.Visitor();

        var response = await visitor.SendAsync(Webhook(tenant, "{\"email\":\"new@example.com\"}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("sha256=abc", answer["signature"]!.GetValue<string>());
        Assert.False(answer["authorization"]!.GetValue<bool>());
        var me = (await tenant.QueryAsync("{ me { userId } }"))["me"]!["userId"]!.GetValue<string>();
        var hook = (await tenant.QueryAsync("{ webhookEvents(first: 5) { nodes { kind payload createdBy } } }"))["webhookEvents"]!["nodes"]![0]!;
        Assert.Equal(("signup", "{\"email\":\"new@example.com\"}"), (hook["kind"]!.GetValue<string>(), hook["payload"]!.GetValue<string>()));
        Assert.Equal(me, hook["createdBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_answer_is_a_204_and_the_connection_serves_the_next_request()
    {
        using var tenant = await fixture.TenantAsync();
        using var visitor = fixture.Visitor();

        // The same client, so the same kept-alive connection: a refused write after the headers
        // would cut it, and the second request would fail with "response ended prematurely".
        foreach (var _ in Enumerable.Range(0, 3))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/p/forms/nothing");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Key);
            using var response = await visitor.SendAsync(request);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        var hook = await visitor.SendAsync(Webhook(tenant, "{}"));
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_and_writes_nothing()
    {
        using var tenant = await fixture.TenantAsync();
        using var visitor = fixture.Visitor();
        var large = "{\"x\":\"" + new string('a', (int)MaxBodyBytes) + "\"}";

        var announced = await visitor.SendAsync(Webhook(tenant, large));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", await EndpointAnswers.CodeAsync(announced));

        // Chunked, with no Content-Length to refuse it by: counted while it arrives.
        using var chunked = Webhook(tenant, "");
        chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large)));
        chunked.Headers.TransferEncodingChunked = true;
        var streamed = await visitor.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        Assert.Empty(await ListAsync(tenant, "webhookEvents", "kind"));
    }

    [Fact]
    public async Task A_key_of_a_tenant_without_the_plugin_finds_nothing()
    {
        using var bare = await fixture.Host.NewTenantAsync();
        using var visitor = fixture.Visitor();

        var response = await visitor.SendAsync(Webhook(bare, "{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", await EndpointAnswers.CodeAsync(response));
    }

    [Fact]
    public async Task A_made_up_key_is_refused()
    {
        using var tenant = await fixture.TenantAsync();
        using var visitor = fixture.Visitor();
        using var request = Webhook(tenant, "{}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "crm_made_up_key");

        var response = await visitor.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await ListAsync(tenant, "webhookEvents", "kind"));
    }

    [Fact]
    public async Task Unknown_plugins_and_routes_are_not_found_and_the_other_method_is_not_allowed()
    {
        using var visitor = fixture.Visitor();

        var unknownPlugin = await visitor.GetAsync("/p/nope/open/x");
        var unknownRoute = await visitor.GetAsync("/p/forms/nothing-here");
        var wrongMethod = await visitor.GetAsync("/p/forms/leads");

        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (unknownPlugin.StatusCode, await EndpointAnswers.CodeAsync(unknownPlugin)));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (unknownRoute.StatusCode, await EndpointAnswers.CodeAsync(unknownRoute)));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("POST", wrongMethod.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task A_failing_handler_answers_PLUGIN_ERROR_with_a_correlation_id_and_none_of_its_details()
    {
        using var tenant = await fixture.TenantAsync();
        using var visitor = fixture.Visitor();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p/forms/boom");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Key);

        var response = await visitor.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("PLUGIN_ERROR", await EndpointAnswers.CodeAsync(response));
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        var correlationId = JsonNode.Parse(body)!["errors"]![0]!["extensions"]!["correlationId"]!.GetValue<string>();
        Assert.Contains(correlationId, body, StringComparison.Ordinal);
        Assert.Contains(fixture.Logs.With("CorrelationId", correlationId), e => e.Exception?.Message.Contains("hunter2", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_handler_that_runs_past_the_deadline_is_stopped_with_504()
    {
        using var tenant = await fixture.TenantAsync();
        using var visitor = fixture.Visitor();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p/forms/stall");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Key);

        var sent = visitor.SendAsync(request);
        // The host's clock is moved until the request's deadline (30 s of it) has passed, however
        // long the request takes to reach the handler (up to a minute of real time on a busy machine).
        for (var i = 0; i < 1200 && !sent.IsCompleted; i++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(31));
            await Task.WhenAny(sent, Task.Delay(50));
        }

        var response = await sent;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("TIMEOUT", await EndpointAnswers.CodeAsync(response));
    }
}

/// <summary>The per-address rate limit of public endpoints, on a host of its own with a small one.</summary>
public sealed class EndpointRateLimitTests
{
    [Fact]
    public async Task Too_many_requests_from_one_address_are_refused_with_429_before_anything_runs()
    {
        using var fixture = EndpointHostFixture.With(new Dictionary<string, string?>
        {
            ["Crm:Endpoint:Public:PerAddress:PermitsPerSecond"] = "1",
            ["Crm:Endpoint:Public:PerAddress:Burst"] = "3",
        });
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "open", "contact-1");
        using var visitor = fixture.Visitor();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            answers.Add(await visitor.GetAsync($"/p/forms/open/flood?token={token}"));
        }

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Equal("RATE_LIMITED", await EndpointAnswers.CodeAsync(refused[0]));
        Assert.NotNull(refused[0].Headers.RetryAfter);
        var hits = (await tenant.QueryAsync("{ pixelHits(first: 50) { totalCount } }"))["pixelHits"]!["totalCount"]!.GetValue<int>();
        Assert.Equal(answers.Count - refused.Count, hits);
    }
}
