using System.Net;
using static CrmEngine.Host.Tests.Endpoints.EndpointHostFixture;

namespace CrmEngine.Host.Tests.Endpoints;

/// <summary>
/// Plugins' public endpoints opened with signed links, over real HTTP as an anonymous visitor: the
/// happy paths (a web form creating a lead, a tracking pixel, a redirect) and the attacks on links
/// (altered, expired, replayed, another tenant's, another purpose's, none at all).
/// </summary>
[Collection(EndpointHostGroup.Name)]
public sealed class SignedLinkTests(EndpointHostFixture fixture)
{
    private static FormUrlEncodedContent Form(string name, string email = "ada@example.com") => new(new Dictionary<string, string> { ["name"] = name, ["email"] = email });

    [Fact]
    public async Task A_web_form_posted_with_its_link_creates_a_lead_through_the_record_pipeline()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "lead-form", "spring-fair");
        using var visitor = fixture.Visitor();

        var response = await visitor.PostAsync($"/p/forms/leads?token={token}", Form("Ada Lovelace"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var lead = (await tenant.QueryAsync("{ webLeads(first: 5) { nodes { name email source createdBy } } }"))["webLeads"]!["nodes"]![0]!;
        Assert.Equal(("Ada Lovelace", "ada@example.com", "spring-fair"), (lead["name"]!.GetValue<string>(), lead["email"]!.GetValue<string>(), lead["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_form_the_pipeline_refuses_is_answered_with_its_typed_error_and_creates_nothing()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "lead-form", "spring-fair");
        using var visitor = fixture.Visitor();

        var response = await visitor.PostAsync($"/p/forms/leads?token={token}", Form("Ada", email: "not an address"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_VALUE", await EndpointAnswers.CodeAsync(response));
        Assert.Empty(await ListAsync(tenant, "webLeads", "name"));
    }

    [Fact]
    public async Task Posting_a_single_use_link_again_is_refused_as_used_and_creates_nothing_more()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "lead-form", "spring-fair");
        using var visitor = fixture.Visitor();
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync($"/p/forms/leads?token={token}", Form("First"))).StatusCode);

        var replay = await visitor.PostAsync($"/p/forms/leads?token={token}", Form("Replayed"));

        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Equal("LINK_USED", await EndpointAnswers.CodeAsync(replay));
        Assert.Equal(["First"], await ListAsync(tenant, "webLeads", "name"));
    }

    [Fact]
    public async Task Replays_sent_at_once_create_one_lead()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "lead-form", "spring-fair");
        using var visitor = fixture.Visitor();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => visitor.PostAsync($"/p/forms/leads?token={token}", Form("Racer " + i))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Gone, a.StatusCode));
        Assert.Single(await ListAsync(tenant, "webLeads", "name"));
    }

    [Fact]
    public async Task A_handler_that_fails_writes_nothing_and_leaves_its_single_use_link_unused()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "lead-form", "spring-fair");
        using var visitor = fixture.Visitor();

        var failed = await visitor.PostAsync($"/p/forms/leads?token={token}", Form("crash"));
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("PLUGIN_ERROR", await EndpointAnswers.CodeAsync(failed));
        Assert.Empty(await ListAsync(tenant, "webLeads", "name"));

        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync($"/p/forms/leads?token={token}", Form("Second try"))).StatusCode);
        Assert.Equal(["Second try"], await ListAsync(tenant, "webLeads", "name"));
    }

    [Fact]
    public async Task An_altered_link_is_refused_and_creates_nothing()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "lead-form", "spring-fair");
        using var visitor = fixture.Visitor();
        var middle = token.Length / 2;
        var altered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];

        foreach (var bad in new[] { altered, token[..^4], "made-up", token + "AAAA" })
        {
            var response = await visitor.PostAsync($"/p/forms/leads?token={bad}", Form("Mallory"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("LINK_INVALID", await EndpointAnswers.CodeAsync(response));
        }

        Assert.Empty(await ListAsync(tenant, "webLeads", "name"));
    }

    [Fact]
    public async Task An_expired_link_is_refused_as_expired()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "lead-form", "spring-fair", seconds: 60);
        using var visitor = fixture.Visitor();

        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        var response = await visitor.PostAsync($"/p/forms/leads?token={token}", Form("Late"));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("LINK_EXPIRED", await EndpointAnswers.CodeAsync(response));
        Assert.Empty(await ListAsync(tenant, "webLeads", "name"));
    }

    [Fact]
    public async Task A_person_opening_an_expired_link_in_a_browser_gets_a_page_not_json()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "open", "contact-1", seconds: 60);
        using var visitor = fixture.Visitor();
        fixture.Time.Advance(TimeSpan.FromSeconds(61));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/p/forms/open/newsletter?token={token}");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        var response = await visitor.SendAsync(request);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This link has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_made_for_another_purpose_is_refused()
    {
        using var tenant = await fixture.TenantAsync();
        var pixel = await LinkAsync(tenant, "open", "spring-fair");
        using var visitor = fixture.Visitor();

        var response = await visitor.PostAsync($"/p/forms/leads?token={pixel}", Form("Mallory"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("LINK_INVALID", await EndpointAnswers.CodeAsync(response));
        Assert.Empty(await ListAsync(tenant, "webLeads", "name"));
    }

    [Fact]
    public async Task A_link_acts_only_on_the_tenant_it_was_signed_for()
    {
        using var tenant = await fixture.TenantAsync();
        using var other = await fixture.TenantAsync();
        var othersLink = await LinkAsync(other, "lead-form", "other-fair");
        using var visitor = fixture.Visitor();

        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync($"/p/forms/leads?token={othersLink}", Form("For the other"))).StatusCode);

        Assert.Empty(await ListAsync(tenant, "webLeads", "name"));
        Assert.Equal(["For the other"], await ListAsync(other, "webLeads", "name"));
    }

    [Fact]
    public async Task A_link_of_a_tenant_that_disabled_the_plugin_finds_nothing()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "open", "contact-1");
        await tenant.MutateAsync("mutation { disablePlugin(id: \"forms\") { userErrors { code message } } }");
        using var visitor = fixture.Visitor();

        var response = await visitor.GetAsync($"/p/forms/open/newsletter?token={token}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", await EndpointAnswers.CodeAsync(response));
    }

    [Fact]
    public async Task Without_a_link_or_a_key_nothing_opens()
    {
        using var tenant = await fixture.TenantAsync();
        using var visitor = fixture.Visitor();

        var pixel = await visitor.GetAsync("/p/forms/open/newsletter");
        var form = await visitor.PostAsync("/p/forms/leads", Form("Anon"));
        var webhook = await visitor.PostAsync("/p/forms/hooks/signup", new StringContent("{}"));

        Assert.All(new[] { pixel, form, webhook }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("UNAUTHENTICATED", await EndpointAnswers.CodeAsync(form));
        Assert.Empty(await ListAsync(tenant, "webLeads", "name"));
        Assert.Empty(await ListAsync(tenant, "pixelHits", "subject"));
    }

    [Fact]
    public async Task A_tracking_pixel_answers_a_gif_and_records_every_open_of_its_link()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "open", "contact-7");
        using var visitor = fixture.Visitor();

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var response = await visitor.GetAsync($"/p/forms/open/newsletter-12?token={token}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/gif", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString((await response.Content.ReadAsByteArrayAsync())[..6]));
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }

        var hits = (await tenant.QueryAsync("{ pixelHits(first: 5) { nodes { subject campaign } } }"))["pixelHits"]!["nodes"]!.AsArray();
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.Equal(("contact-7", "newsletter-12"), (h!["subject"]!.GetValue<string>(), h["campaign"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Route_parameters_are_unescaped_once_as_sent()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "open", "contact-7");
        using var visitor = fixture.Visitor();

        foreach (var (sent, campaign) in new[] { ("spring%20fair", "spring fair"), ("100%2525", "100%25"), ("a%2Fb", "a/b") })
        {
            Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/p/forms/open/{sent}?token={token}")).StatusCode);
            var hits = await ListAsync(tenant, "pixelHits", "campaign");
            Assert.Contains(campaign, hits);
        }
    }

    [Fact]
    public async Task A_redirect_goes_to_the_target_signed_in_its_link()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "click", "contact-7", target: "https://shop.example.com/spring?utm=mail");
        using var visitor = fixture.Visitor();

        var response = await visitor.GetAsync($"/p/forms/go?token={token}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://shop.example.com/spring?utm=mail", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_redirect_may_go_to_a_path_on_this_host_but_never_to_a_target_the_link_did_not_sign()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "click", "contact-7", target: "https://shop.example.com/spring");
        using var visitor = fixture.Visitor();

        var local = await visitor.GetAsync($"/p/forms/go?token={token}&to=%2Fthanks");
        Assert.Equal(HttpStatusCode.Found, local.StatusCode);
        Assert.Equal("/thanks", local.Headers.Location?.OriginalString);

        foreach (var target in new[] { "https://evil.example.net/", "//evil.example.net/", "/\\evil.example.net", "https://shop.example.com/spring/../other" })
        {
            var response = await visitor.GetAsync($"/p/forms/go?token={token}&to={Uri.EscapeDataString(target)}");
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Equal("PLUGIN_ERROR", await EndpointAnswers.CodeAsync(response));
        }
    }

    [Fact]
    public async Task The_public_identity_of_a_link_may_read_and_write_no_records_of_its_own()
    {
        using var tenant = await fixture.TenantAsync();
        var token = await LinkAsync(tenant, "peek", "anything");
        using var visitor = fixture.Visitor();

        var response = await visitor.GetAsync($"/p/forms/peek?token={token}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FORBIDDEN", await EndpointAnswers.CodeAsync(response));
    }
}
