using System.Net;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// A document the guard refuses costs the host its parse and count all the same. That time is charged
/// to the key's expensive-time budget, and once the budget is spent the key's new documents are
/// refused before they are parsed, while documents the host already knows keep running. Here the
/// key may spend a tenth of a millisecond per second with no burst, so one refused document spends it.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class WastedPreparationTests : IDisposable
{
    // 40 selections of one name with different arguments: 780 pairs for the merge check, over the 500
    // allowed, found once the document is parsed; at 1 KB under the sizes that make a request expensive.
    private static readonly string TooManyPairs = "{ " + string.Concat(Enumerable.Range(0, 40).Select(i => $"__type(name: \"T{i}\") {{ name }} ")) + "}";

    private readonly CrmHost _host = new(settings: new Dictionary<string, string?>
    {
        ["Crm:Endpoint:Expensive:CallerTime:PerSecond"] = "00:00:00.0001",
        ["Crm:Endpoint:Expensive:CallerTime:Burst"] = "00:00:00",
    });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Documents_the_guard_refuses_spend_the_keys_time_and_then_its_new_documents_are_refused_before_they_are_parsed_while_known_ones_run()
    {
        using var client = await _host.NewTenantAsync();
        var key = await _host.Service<TenantCatalog>().CreateApiKeyAsync(client.TenantId, "colleague", [CrmPrincipal.AdminRole], null, null, CancellationToken.None);
        using var colleague = _host.Client(client.TenantId, key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ metadataVersion }")).Status);

        var refused = await client.PostAsync(TooManyPairs);
        Assert.Equal("TOO_MANY_REPEATED_SELECTIONS", refused.FirstErrorCode);

        var spent = await client.PostAsync("{ __typename }");
        Assert.Equal(HttpStatusCode.TooManyRequests, spent.Status);
        Assert.Equal("TOO_MANY_CONCURRENT_REQUESTS", spent.FirstErrorCode);
        Assert.Contains("Expensive requests of this API key or user have used their time", spent.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // The document the key ran before still runs, and another key of the tenant runs new ones.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("{ metadataVersion }")).Status);
        Assert.Equal(HttpStatusCode.OK, (await colleague.PostAsync("{ __typename }")).Status);
    }
}
