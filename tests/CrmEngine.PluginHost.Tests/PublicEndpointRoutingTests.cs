using CrmEngine.PluginHost.Endpoints;
using CrmEngine.Sdk.Endpoints;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmEngine.PluginHost.Tests;

/// <summary>Which endpoint a path under /p/&lt;plugin&gt;/ names, and where a handler may redirect.</summary>
public sealed class PublicEndpointRoutingTests
{
    private sealed class FormEndpoint : IPublicEndpoint
    {
        public EndpointMethod Method => EndpointMethod.Post;

        public string Route => "forms/{formId}/submit";

        public Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken) => Task.FromResult(EndpointResponse.Empty());
    }

    private sealed class BadRoute : IPublicEndpoint
    {
        public EndpointMethod Method => EndpointMethod.Get;

        public string Route => "files/{**rest}";

        public Task<EndpointResponse> HandleAsync(IEndpointContext context, CancellationToken cancellationToken) => Task.FromResult(EndpointResponse.Empty());
    }

    private static PublicEndpointCatalog Catalog()
    {
        return new PublicEndpointCatalog([(new FormEndpoint(), "acme"), (new BadRoute(), "acme")], NullLogger<PublicEndpointCatalog>.Instance);
    }

    [Fact]
    public void A_path_binds_its_parameters_unescaped_and_literal_segments_ignore_case()
    {
        var match = Catalog().Find("acme", "Forms/spring%20fair/SUBMIT", EndpointMethod.Post);

        Assert.IsType<FormEndpoint>(match.Route?.Endpoint);
        Assert.Equal("spring fair", match.Values!["formId"]);
    }

    [Fact]
    public void Other_paths_plugins_and_methods_name_nothing()
    {
        var catalog = Catalog();

        Assert.Null(catalog.Find("acme", "forms//submit", EndpointMethod.Post).Route);
        Assert.Null(catalog.Find("acme", "forms/x/submit/more", EndpointMethod.Post).Route);
        Assert.Null(catalog.Find("other", "forms/x/submit", EndpointMethod.Post).Route);
        var get = catalog.Find("acme", "forms/x/submit", EndpointMethod.Get);
        Assert.Null(get.Route);
        Assert.True(get.OtherMethod);
    }

    [Fact]
    public void A_route_that_is_not_segments_and_parameters_is_left_out()
    {
        Assert.Null(Catalog().Find("acme", "files/a", EndpointMethod.Get).Route);
    }

    [Theory]
    [InlineData("/thanks", null, true)]
    [InlineData("/p/acme/done?x=1", null, true)]
    [InlineData("https://shop.example.com/a", "https://shop.example.com/a", true)]
    [InlineData("https://shop.example.com/a/", "https://shop.example.com/a", false)]
    [InlineData("https://evil.example.net/", null, false)]
    [InlineData("//evil.example.net/", null, false)]
    [InlineData("/\\evil.example.net", null, false)]
    [InlineData("/ok\r\nSet-Cookie: a=b", null, false)]
    [InlineData("javascript:alert(1)", null, false)]
    public void A_redirect_goes_only_to_a_path_on_the_host_or_the_links_signed_target(string location, string? target, bool allowed)
    {
        var link = new LinkGrant("t", "acme", "click", "s") { Target = target };
        Assert.Equal(allowed, PublicEndpointRunner.IsAllowedRedirect(location, link));
    }
}
