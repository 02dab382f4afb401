using System.Collections.Concurrent;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmEngine.Host.Tests.Browser;

/// <summary>
/// The GraphiQL page in real headless Chromium, as a newcomer uses it: with nothing reachable but
/// the host, it loads, takes a key in its headers editor, runs a query, shows the tenant's types in
/// its docs, and remembers the key across a reload.
/// </summary>
[Collection(HostGroup.Name)]
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class GraphiQLPageTests(HostFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [BrowserFact]
    public async Task GraphiQL_works_with_no_network_but_the_host_takes_a_key_runs_a_query_and_shows_the_tenants_docs()
    {
        using var client = await fixture.Host.NewTenantAsync();
        await Schemas.DefineProjectsAsync(client);
        await client.MutateAsync("mutation { createProject(input: { title: \"浏览器里的项目\" }) { userErrors { code } } }");
        var origin = fixture.Host.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await chromium.Browser.NewContextAsync();
        var elsewhere = await Chromium.IsolateAsync(context, origin);
        var page = await context.NewPageAsync();
        var consoleErrors = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal) && !message.Text.Contains("404", StringComparison.Ordinal))
            {
                consoleErrors.Enqueue(message.Text);
            }
        };

        await page.GotoAsync(origin + "/graphql");
        await Expect(page.Locator(".graphiql-container")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Headers", Exact = true }).ClickAsync();
        await ReplaceTextAsync(page, page.Locator(".monaco-editor[data-uri$='headers.json']"), $"{{\"Authorization\": \"Bearer {client.Key}\"}}");
        await ReplaceTextAsync(page, page.Locator(".graphiql-query-editor .monaco-editor"), "{ projects { nodes { title } } }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Execute query (Ctrl-Enter)" }).ClickAsync();
        await Expect(page.Locator(".graphiql-response")).ToContainTextAsync("浏览器里的项目");

        // The schema was first asked for without a key; with it, the docs show the tenant's own types.
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-fetch GraphQL schema (Shift-Ctrl-R)" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show Documentation Explorer" }).ClickAsync();
        var docs = page.Locator(".graphiql-doc-explorer");
        await docs.GetByText("Query", new() { Exact = true }).ClickAsync();
        await Expect(docs).ToContainTextAsync("ProjectConnection");

        // The key is kept in the browser: after a reload the same query runs without typing it again.
        await page.ReloadAsync();
        await ReplaceTextAsync(page, page.Locator(".graphiql-query-editor .monaco-editor"), "{ projects { totalCount nodes { title } } }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Execute query (Ctrl-Enter)" }).ClickAsync();
        await Expect(page.Locator(".graphiql-response")).ToContainTextAsync("totalCount");
        await Expect(page.Locator(".graphiql-response")).ToContainTextAsync("浏览器里的项目");

        Assert.Empty(elsewhere);
        Assert.Empty(consoleErrors);
    }

    /// <summary>Replaces everything in a Monaco editor, inserting the text as typed input would but without its auto-closing of brackets and quotes.</summary>
    private static async Task ReplaceTextAsync(IPage page, ILocator editor, string text)
    {
        await editor.ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.PressAsync("Delete");
        await page.Keyboard.InsertTextAsync(text);
    }
}
