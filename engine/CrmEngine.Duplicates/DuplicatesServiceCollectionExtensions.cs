using CrmEngine.Duplicates.Api;
using CrmEngine.Duplicates.Checking;
using CrmEngine.Duplicates.Rules;
using CrmEngine.Duplicates.Scanning;
using CrmEngine.Duplicates.Storage;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Duplicates;

public static class DuplicatesServiceCollectionExtensions
{
    /// <summary>
    /// Duplicate rules: their tables, the check in every create and update (a before hook), the match
    /// keys kept with the records, scan jobs (on the import jobs' runner: add AddCrmImport too) and the
    /// GraphQL admin operations. Settings come from "Crm:Duplicates" (see <see cref="DuplicateOptions"/>).
    /// </summary>
    public static IServiceCollection AddCrmDuplicates(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<DuplicateOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(DuplicateOptions.Section));
        }

        services.AddSingleton<ISystemTables, DuplicateTables>();
        services.AddSingleton<DuplicateRuleCache>();
        services.AddSingleton<IChangeHandler, DuplicateRuleChangeHandler>();
        services.AddSingleton<IRecordHook, DuplicateCheckHook>();
        services.AddSingleton<IWriteCompanion, MatchKeyWriter>();
        services.AddSingleton<ScanWork>();
        services.AddSingleton<DuplicateJobs>();
        services.AddSingleton<DuplicateSets>();
        services.AddSingleton<DuplicateRuleService>();
        services.AddSingleton<ISchemaContributor, DuplicatesContributor>();
        return services;
    }
}
