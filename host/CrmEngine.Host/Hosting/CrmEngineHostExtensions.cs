using CrmEngine.Approvals;
using CrmEngine.Duplicates;
using CrmEngine.Documents;
using CrmEngine.Files;
using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL;
using CrmEngine.GraphQL.Execution.Guard;
using CrmEngine.Host.CrossOrigin;
using CrmEngine.Host.Endpoints;
using CrmEngine.Host.Http;
using CrmEngine.Host.Export;
using CrmEngine.Host.Import;
using CrmEngine.Import;
using CrmEngine.Inbound;
using CrmEngine.Messaging;
using CrmEngine.Host.Observability;
using CrmEngine.Host.Security;
using CrmEngine.PluginHost;
using CrmEngine.PluginHost.Loading;
using CrmEngine.Postgres;
using CrmEngine.Reports;
using CrmEngine.Rules;
using CrmEngine.Rules.Api;
using CrmEngine.Sdk.Endpoints;
using CrmEngine.Sqlite;
using CrmEngine.Webhooks;
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
        var engineOptions = builder.Configuration.GetSection(CrmEngineOptions.Section).Get<CrmEngineOptions>() ?? new CrmEngineOptions();
        AddStorage(services, engineOptions.Storage);
        services.AddCrmGraphQL();
        services.AddCrmPlugins(Path.GetFullPath(engineOptions.PluginDirectory, AppContext.BaseDirectory));
        services.AddCrmDataProtection();
        services.AddOptions<EndpointLimits>().Bind(builder.Configuration.GetSection(EndpointLimits.Section));
        services.AddOptions<QueryLimits>().Bind(builder.Configuration.GetSection(QueryLimits.Section));
        services.AddSingleton<RequestRateLimiter>();
        services.AddSingleton<ExpensiveRequestGate>();
        services.AddSingleton<RefusalPacer>();
        services.AddSingleton<GraphQLRequestReader>();
        services.AddCrmRules(builder.Configuration);
        services.AddCrmRulesApi();
        services.AddCrmImport(builder.Configuration);
        services.AddSingleton<ImportHandler>();
        services.AddSingleton<ExportHandler>();
        services.AddCrmWebhooks(builder.Configuration);
        services.AddCrmMessaging(builder.Configuration);
        services.AddCrmDuplicates(builder.Configuration);
        services.AddCrmReports();
        services.AddCrmApprovals();
        services.AddCrmFiles(builder.Configuration);
        services.AddCrmDocuments(builder.Configuration);
        services.AddCrmInbound(builder.Configuration);
        services.AddSingleton<MultipartRequestReader>();
        services.AddSingleton<FileDownloadHandler>();
        services.AddSingleton<GraphQLHttpHandler>();
        services.AddSingleton<DeadlineFilter>();
        services.AddSingleton<CallerSessionFilter>();
        services.AddOptions<Subscriptions.SubscriptionOptions>().Bind(builder.Configuration.GetSection(Subscriptions.SubscriptionOptions.Section));
        services.AddSingleton<Subscriptions.GraphQLWebSocketEndpoint>();
        services.AddSingleton<Subscriptions.OpenConnections>();
        services.AddSingleton<IChangeHandler>(sp => sp.GetRequiredService<Subscriptions.OpenConnections>());
        // Plugins' public endpoints: links are signed with the Data Protection key ring
        // (AddCrmDataProtection above), which hosts serving the same tenants share (docs/security.md).
        services.AddSingleton<LinkTokens>();
        services.AddSingleton<ILinkSigner>(sp => sp.GetRequiredService<LinkTokens>());
        services.AddSingleton<PublicEndpointHandler>();
        services.AddOptions<CrossOriginOptions>().Bind(builder.Configuration.GetSection(CrossOriginOptions.Section));
        services.AddSingleton<AllowedOrigins>();
        services.AddSingleton<IChangeHandler>(sp => sp.GetRequiredService<AllowedOrigins>());
        services.AddOptions<JwtOptions>().Bind(builder.Configuration.GetSection(JwtOptions.Section));
        services.AddSingleton<JwtKeyRings>();
        // Discovery documents and key sets are small; a provider that stalls or floods must not hold requests.
        services.AddHttpClient(JwtKeyRings.HttpClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(10);
            c.MaxResponseContentBufferSize = 1024 * 1024;
        });
        // One scheme name for callers: API keys look like crm_..., anything else is taken for a JWT.
        services.AddAuthentication(CrmAuthentication.SchemeName)
            .AddPolicyScheme(CrmAuthentication.SchemeName, "API key or JWT", o => o.ForwardDefaultSelector = CrmAuthentication.SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, JwtAuthenticationHandler>(JwtAuthenticationHandler.SchemeName, null);
        builder.AddCrmObservability();
        return builder;
    }

    /// <summary>The configured storage provider: SQLite (the default) unless Crm:Storage:Provider says Postgres.</summary>
    private static void AddStorage(IServiceCollection services, StorageOptions storage)
    {
        if (storage.IsPostgres)
        {
            services.AddCrmPostgres();
        }
        else if (string.Equals(storage.Provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            services.AddCrmSqlite();
        }
        else
        {
            throw new InvalidOperationException($"Crm:Storage:Provider is '{storage.Provider}'; use '{StorageOptions.Sqlite}' (the default) or '{StorageOptions.Postgres}'.");
        }
    }

    public static WebApplication MapCrmEngine(this WebApplication app)
    {
        app.UseCrmCorrelation();
        // No stack traces or exception text ever reach a client: unexpected failures are logged and
        // answered with a bare problem document.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Answers are JSON with text unescaped (ResponseJson), GraphiQL's page and the SDL text: none
        // may be sniffed into another type.
        app.Use((http, next) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return next(http);
        });
        app.UseMiddleware<CrossOriginMiddleware>();
        // Subscriptions: graphql-transport-ws on /graphql; every other request goes on to the endpoints.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        var subscriptions = app.Services.GetRequiredService<Subscriptions.GraphQLWebSocketEndpoint>();
        app.Use((http, next) => subscriptions.HandleAsync(http, () => next(http)));
        // The GraphQL endpoints' edge, in order: media type, deadline, then the caller (authentication,
        // rate limits, tenant session); the handler only reads the request, executes and answers.
        var handler = app.Services.GetRequiredService<GraphQLHttpHandler>();
        var deadline = app.Services.GetRequiredService<DeadlineFilter>();
        var caller = app.Services.GetRequiredService<CallerSessionFilter>();
        app.MapPost("/graphql", handler.HandlePostAsync).AddEndpointFilter(MediaTypeFilters.JsonBodyAsync).AddEndpointFilter(deadline).AddEndpointFilter(caller);
        app.MapGet("/graphql", handler.HandleGetAsync).AddEndpointFilter(MediaTypeFilters.QueryOrPageAsync).AddEndpointFilter(deadline).AddEndpointFilter(caller);
        app.MapGet("/graphql/schema.graphql", handler.HandleSchemaAsync).AddEndpointFilter(MediaTypeFilters.SchemaAsync).AddEndpointFilter(deadline).AddEndpointFilter(caller);
        var imports = app.Services.GetRequiredService<ImportHandler>();
        app.MapPost(ImportHandler.UploadPattern, imports.UploadAsync);
        app.MapGet(ImportHandler.ReportPattern, imports.ReportAsync);
        app.MapPost(ExportHandler.Pattern, app.Services.GetRequiredService<ExportHandler>().ExportAsync);
        app.MapGet(DownloadLinks.Path, app.Services.GetRequiredService<FileDownloadHandler>().HandleAsync);
        app.MapMethods(PublicEndpointHandler.Pattern, [HttpMethods.Get, HttpMethods.Post], app.Services.GetRequiredService<PublicEndpointHandler>().HandleAsync);
        app.MapGet(GraphiQLAssets.RoutePrefix + "/{version}/{name}", (HttpContext http, string version, string name) => GraphiQLAssets.Instance.ServeAsync(http, version, name));
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapCrmHealth();
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
        logger.LogInformation("Storage: {Provider}; data directory: {DataDirectory}", options.Storage.IsPostgres ? "PostgreSQL" : "SQLite", dataDirectory.Path);
        PluginStartupReport.Write(services.GetRequiredService<PluginCatalog>(), options.DefaultPluginIds, logger, Console.Error);
        if (!options.CreateDemoTenant)
        {
            return;
        }

        // Hosts starting together on an empty PostgreSQL catalog: one of them makes the demo tenant.
        await using var lease = await services.GetRequiredService<IWorkLeases>().AcquireAsync("bootstrap", CancellationToken.None);
        if ((await catalog.ListTenantsAsync(CancellationToken.None)).Count > 0)
        {
            return;
        }

        await services.GetRequiredService<TenantProvisioner>().CreateAsync(options.DemoTenantId, "Demo", CancellationToken.None);
        var key = await catalog.CreateApiKeyAsync(options.DemoTenantId, "Initial admin key", [CrmPrincipal.AdminRole], null, null, CancellationToken.None);
        var keyFile = Path.Combine(dataDirectory.Path, options.DemoTenantId + "-admin.key");
        OwnerOnlyFile.Write(keyFile, key.Key);
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
