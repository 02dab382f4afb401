using CrmEngine.Engine;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL;
using CrmEngine.Rules;
using CrmEngine.Host.Http;
using CrmEngine.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Hosting;

/// <summary>How the host puts the engine together: services, endpoints, first-start bootstrap.</summary>
public static class CrmEngineHostExtensions
{
    public static WebApplicationBuilder AddCrmEngine(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CrmEngineOptions>().Bind(builder.Configuration.GetSection(CrmEngineOptions.Section));
        services.AddCrmEngineCore(builder.Environment.ContentRootPath);
        services.AddCrmGraphQL();
        services.AddCrmRules(builder.Configuration);
        services.AddSingleton<GraphQLHttpHandler>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddProblemDetails();
        return builder;
    }

    public static WebApplication MapCrmEngine(this WebApplication app)
    {
        // No stack traces or exception text ever reach a client: unexpected failures are logged and
        // answered with a bare problem document.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var handler = app.Services.GetRequiredService<GraphQLHttpHandler>();
        app.MapPost("/graphql", handler.HandlePostAsync);
        app.MapGet("/graphql", handler.HandleGetAsync);
        app.MapGet("/graphql/schema.graphql", handler.HandleSchemaAsync);
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/", () => Results.Redirect("/graphql"));
        return app;
    }

    /// <summary>
    /// Creates the catalog on a fresh install and, when configured, the demo tenant with a one-time
    /// admin key: printed once and written to an owner-only file in the data directory.
    /// </summary>
    public static async Task InitializeCrmEngineAsync(this WebApplication app)
    {
        var services = app.Services;
        var options = services.GetRequiredService<IOptions<CrmEngineOptions>>().Value;
        var catalog = services.GetRequiredService<TenantCatalog>();
        var dataDirectory = services.GetRequiredService<DataDirectory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CrmEngine");
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        logger.LogInformation("Data directory: {DataDirectory}", dataDirectory.Path);
        if (!options.CreateDemoTenant || (await catalog.ListTenantsAsync(CancellationToken.None)).Count > 0)
        {
            return;
        }

        await catalog.CreateTenantAsync(options.DemoTenantId, "Demo", CancellationToken.None);
        var key = await catalog.CreateApiKeyAsync(options.DemoTenantId, "Initial admin key", [CrmPrincipal.AdminRole], null, null, CancellationToken.None);
        var keyFile = Path.Combine(dataDirectory.Path, options.DemoTenantId + "-admin.key");
        Secrets.WriteOwnerOnly(keyFile, key.Key);
        Console.WriteLine($"""

            ================================================================================
             CrmEngine created tenant '{options.DemoTenantId}'. Its admin API key (shown once):

               {key.Key}

             It is also in {keyFile} (readable by you only).
             Send it as: Authorization: Bearer <key>
            ================================================================================

            """);
        logger.LogInformation("Created tenant {Tenant} with an admin key, written to {KeyFile}.", options.DemoTenantId, keyFile);
    }
}
