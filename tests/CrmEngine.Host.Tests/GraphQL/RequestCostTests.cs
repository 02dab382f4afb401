using System.Net;
using System.Text;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using GraphQL.Resolvers;
using GraphQL.Types;
using CrmEngine.Host.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// One caller cannot take the host with expensive requests: at most one of a key's and two of a
/// tenant's run at once (here), the rest wait briefly and then get 429 with Retry-After, while cheap
/// requests and other keys are served. And every stage of a request answers to its deadline,
/// including a body that never finishes arriving.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class RequestCostTests : IClassFixture<RequestCostTests.Fixture>
{
    // A comment is ignored by the parser but not by the transport: it makes a body "large".
    private static readonly string Padding = "#" + new string('x', 70 * 1024) + "\n";
    private readonly Fixture _fixture;

    public RequestCostTests(Fixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_second_expensive_request_of_the_same_key_waits_then_gets_429_while_cheap_ones_and_other_keys_are_served()
    {
        using var client = await _fixture.Host.NewTenantAsync();
        using var other = await _fixture.Host.NewTenantAsync();
        var hold = _fixture.Hold();
        var running = client.PostAsync(Padding + "{ hold }");
        await hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var refused = await SendAsync(client, Padding + "{ metadataVersion }");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var body = await GraphQLResponse.ReadAsync(refused);
        Assert.Equal("TOO_MANY_CONCURRENT_REQUESTS", body.FirstErrorCode);
        Assert.Contains("this API key or user", body.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A large body sent in chunks, without a length, is stopped once it grows large.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ChunkedContent(System.Text.Json.JsonSerializer.Serialize(new { query = Padding + "{ metadataVersion }" })) };
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.Http.SendAsync(chunked)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ metadataVersion }")).Status);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync(Padding + "{ metadataVersion }")).Status);

        hold.Release.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await running).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Padding + "{ metadataVersion }")).Status);
    }

    [Fact]
    public async Task A_long_document_never_run_before_waits_for_a_slot_even_in_a_small_body_while_one_run_before_does_not()
    {
        // 9,000 characters: under the body size that makes a request expensive, over the document length.
        var shortPadding = "#" + new string('x', 9000) + "\n";
        using var client = await _fixture.Host.NewTenantAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(shortPadding + "{ metadataVersion }")).Status);

        var hold = _fixture.Hold();
        var running = client.PostAsync(Padding + "{ hold }");
        await hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var refused = await client.PostAsync(shortPadding + "{ __typename }");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("TOO_MANY_CONCURRENT_REQUESTS", refused.FirstErrorCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(shortPadding + "{ metadataVersion }")).Status);

        hold.Release.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await running).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(shortPadding + "{ __typename }")).Status);
    }

    [Fact]
    public async Task Large_requests_one_after_another_are_each_admitted_whether_they_announce_their_length_or_not()
    {
        using var client = await _fixture.Host.NewTenantAsync();
        for (var i = 0; i < 3; i++)
        {
            // With Content-Length (admitted before the body is read), then chunked (admitted while it arrives).
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, Padding + "{ metadataVersion }")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Padding + "{ metadataVersion }")).Status);
        }
    }

    [Fact]
    public async Task A_tenant_runs_at_most_two_expensive_requests_at_once_whatever_its_keys()
    {
        using var first = await _fixture.Host.NewTenantAsync();
        var second = await KeyOfAsync(first.TenantId);
        var third = await KeyOfAsync(first.TenantId);
        var holds = new[] { _fixture.Hold(), _fixture.Hold() };
        var running = new[] { first.PostAsync(Padding + "{ hold }"), second.PostAsync(Padding + "{ hold }") };
        await Task.WhenAll(holds.Select(h => h.Entered.Task)).WaitAsync(TimeSpan.FromSeconds(10));

        var refused = await GraphQLResponse.ReadAsync(await SendAsync(third, Padding + "{ metadataVersion }"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("this tenant", refused.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var hold in holds)
        {
            hold.Release.SetResult();
        }

        await Task.WhenAll(running);
        Assert.Equal(HttpStatusCode.OK, (await third.PostAsync(Padding + "{ metadataVersion }")).Status);
    }

    [Fact]
    public async Task A_key_that_has_spent_its_time_on_expensive_requests_gets_429_until_it_has_earned_it_back_while_its_tenants_other_keys_are_served()
    {
        using var client = await _fixture.Host.NewTenantAsync();
        var colleague = await KeyOfAsync(client.TenantId);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ metadataVersion }")).Status);
        var hold = _fixture.Hold();
        var running = client.PostAsync(Padding + "{ hold }");
        await hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // The request holds its slot for 3 s: a second more than the key's 2 s burst, within the tenant's 4 s.
        _fixture.Time.Advance(TimeSpan.FromSeconds(3));
        hold.Release.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await running).Status);

        var refused = await SendAsync(client, Padding + "{ metadataVersion }");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // The second over the burst is earned back at a quarter of a second per second.
        Assert.Equal(TimeSpan.FromSeconds(4), refused.Headers.RetryAfter?.Delta);
        var body = await GraphQLResponse.ReadAsync(refused);
        Assert.Equal("TOO_MANY_CONCURRENT_REQUESTS", body.FirstErrorCode);
        Assert.Contains("Expensive requests of this API key or user have used their time", body.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A document the key ran before still runs; a new one waits like an expensive one, unparsed.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ metadataVersion }")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("{ __typename metadataVersion }")).Status);
        Assert.Equal(HttpStatusCode.OK, (await colleague.PostAsync(Padding + "{ metadataVersion }")).Status);

        _fixture.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Padding + "{ metadataVersion }")).Status);
    }

    [Fact]
    public async Task A_body_that_does_not_arrive_within_the_deadline_is_answered_408_and_nothing_runs()
    {
        using var client = await _fixture.Host.NewTenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new TricklingContent("{\"query\": \"mutation { x }\"}") };
        using var response = await client.Http.SendAsync(request);
        var body = await GraphQLResponse.ReadAsync(response);
        Assert.Equal(HttpStatusCode.RequestTimeout, body.Status);
        Assert.Equal("TIMEOUT", body.FirstErrorCode);
    }

    [Fact]
    public async Task A_request_that_runs_past_the_deadline_is_answered_504()
    {
        using var client = await _fixture.Host.NewTenantAsync();
        _fixture.Hold();
        var response = await client.PostAsync("{ hold }");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.Status);
        Assert.Equal("TIMEOUT", response.FirstErrorCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(TenantClient client, string query) =>
        await client.Http.PostAsync("/graphql", RawBody.Json(System.Text.Json.JsonSerializer.Serialize(new { query })));

    private async Task<TenantClient> KeyOfAsync(string tenant)
    {
        var key = await _fixture.Host.Service<TenantCatalog>().CreateApiKeyAsync(tenant, "another", [CrmPrincipal.AdminRole], null, null, CancellationToken.None);
        return _fixture.Host.Client(tenant, key.Key);
    }

    /// <summary>
    /// A host with a 3-second deadline, tight expensive-request limits and a <c>hold</c> field that
    /// waits until released. The gate's time budgets run on <see cref="Time"/>, which only moves when
    /// a test moves it.
    /// </summary>
    public sealed class Fixture : IDisposable
    {
        private readonly Queue<Holder> _holds = new();

        public Fixture() => Host = new CrmHost(settings: new Dictionary<string, string?>
        {
            ["Crm:Endpoint:ExecutionTimeout"] = "00:00:03",
            ["Crm:Endpoint:Expensive:PerCaller"] = "1",
            ["Crm:Endpoint:Expensive:PerTenant"] = "2",
            ["Crm:Endpoint:Expensive:MaxWait"] = "00:00:00.300",
        })
        {
            ConfigureTestServices = s => s
                .AddSingleton<ISchemaContributor>(new HoldContributor(this))
                .AddSingleton(sp => new ExpensiveRequestGate(sp.GetRequiredService<IOptions<EndpointLimits>>(), Time)),
        };

        public CrmHost Host { get; }

        public FakeTimeProvider Time { get; } = new();

        /// <summary>The next <c>hold</c> to run waits on this one.</summary>
        public Holder Hold()
        {
            var holder = new Holder();
            lock (_holds)
            {
                _holds.Enqueue(holder);
            }

            return holder;
        }

        public void Dispose() => Host.Dispose();

        internal Holder Next()
        {
            lock (_holds)
            {
                return _holds.Dequeue();
            }
        }
    }

    public sealed class Holder
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class HoldContributor(Fixture fixture) : ISchemaContributor
    {
        public int Order => 100;

        public void Contribute(SchemaBuildContext context) => context.Query.AddField(new FieldType
        {
            Name = "hold",
            ResolvedType = new BooleanGraphType(),
            Resolver = new FuncFieldResolver<object?>(async c =>
            {
                var holder = fixture.Next();
                holder.Entered.SetResult();
                await holder.Release.Task.WaitAsync(c.CancellationToken);
                return true;
            }),
        });
    }

    /// <summary>A JSON body sent in chunks, with no Content-Length.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _json;

        public ChunkedContent(string json)
        {
            _json = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < _json.Length; at += 8192)
            {
                await stream.WriteAsync(_json.AsMemory(at, Math.Min(8192, _json.Length - at)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A JSON body that sends its first bytes and then stalls past any deadline.</summary>
    private sealed class TricklingContent : HttpContent
    {
        private readonly string _json;

        public TricklingContent(string json)
        {
            _json = json;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(_json);
            await stream.WriteAsync(bytes.AsMemory(0, 5));
            await stream.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await stream.WriteAsync(bytes.AsMemory(5));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Encoding.UTF8.GetByteCount(_json);
            return true;
        }
    }
}
