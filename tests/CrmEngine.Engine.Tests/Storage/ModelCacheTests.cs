using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tests.Support;
using CrmEngine.Sdk.Metadata;
using Microsoft.Extensions.DependencyInjection;
using static CrmEngine.Engine.Tests.Support.Definitions;

namespace CrmEngine.Engine.Tests.Storage;

public sealed class ModelCacheTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Tenants_with_the_same_schema_share_one_model_even_with_different_labels()
    {
        var a = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead());
        var b = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead() with { Labels = LocalizedText.Of("Prospect", "潜在客户") });
        var c = await _engine.DefineAsync(await _engine.NewTenantAsync(), Lead() with { Fields = [.. Lead().Fields, Field("extra", FieldType.Text)] });

        Assert.Same(a.View.Model, b.View.Model);
        Assert.NotSame(a.View.Model, c.View.Model);
    }

    [Fact]
    public void The_cache_is_bounded_and_drops_the_least_recently_used_model()
    {
        var cache = new ModelCache(_engine.Services.GetRequiredService<TenantModelFactory>(), capacity: 2);
        var one = new MetadataSnapshot(1, [Entity("one")]);
        var first = cache.Get(one);
        cache.Get(new MetadataSnapshot(1, [Entity("two")]));
        cache.Get(one);
        cache.Get(new MetadataSnapshot(1, [Entity("three")]));

        Assert.Equal(2, cache.Count);
        Assert.Same(first, cache.Get(one));
    }
}
