using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using CrmEngine.Import.Api;
using CrmEngine.Import.Jobs;
using CrmEngine.Import.Mapping;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrmEngine.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>CSV and XLSX imports: the job tables, the runner, and the importJob queries. The host maps the upload route.</summary>
    public static IServiceCollection AddCrmImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImportOptions>().Bind(configuration.GetSection(ImportOptions.Section));
        services.AddSingleton<ISystemTables, ImportSystemTables>();
        services.AddSingleton<RecordMatches>();
        services.AddSingleton<ImportJobStore>();
        services.AddSingleton<ImportWork>();
        services.AddSingleton<ImportReport>();
        services.AddSingleton<ImportRunner>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ImportRunner>());
        services.AddSingleton<ImportJobs>();
        services.AddSingleton<ISchemaContributor, ImportContributor>();
        return services;
    }
}
