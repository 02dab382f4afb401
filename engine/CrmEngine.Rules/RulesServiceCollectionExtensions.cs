using CrmEngine.Engine;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Scheduling;
using CrmEngine.Engine.Storage;
using CrmEngine.Rules.Definitions;
using CrmEngine.Rules.Execution;
using CrmEngine.Rules.Functions;
using CrmEngine.Rules.Logging;
using CrmEngine.Rules.Scripting;
using CrmEngine.Rules.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.Rules;

public static class RulesServiceCollectionExtensions
{
    /// <summary>
    /// Tenant rules: their tables, the before-hook and after-handler in the record pipeline, the
    /// scheduler and the run log (their GraphQL admin operations come with AddCrmRulesApi, in
    /// CrmEngine.Rules.Api). Settings come from "Crm:Rules" of <paramref name="configuration"/> (see <see cref="RuleOptions"/>). Plugins offer functions to
    /// scripts by registering <see cref="IRuleFunctionProvider"/>s.
    /// </summary>
    public static IServiceCollection AddCrmRules(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<RuleOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(RuleOptions.Section));
        }

        services.AddSingleton<ISystemTables, RuleTables>();
        services.AddSingleton<RuleCompiler>();
        services.AddSingleton(sp => new RuleSetCache(sp.GetRequiredService<RuleCompiler>(), sp.GetRequiredService<IOptions<RuleOptions>>()));
        services.AddSingleton<Notifications>();
        services.AddSingleton<ParkedChanges>();
        services.AddSingleton<RuleServices>();
        services.AddSingleton<RuleRunner>();
        services.AddSingleton<RunPlaces>();
        services.AddSingleton<RuleExecution>();
        services.AddSingleton<RunLog>();
        services.AddHostedService(sp => sp.GetRequiredService<RunLog>());
        services.AddSingleton<RecordRuleRunner>();
        services.AddSingleton<IRecordHook, BeforeRuleHook>();
        services.AddSingleton<IRecordChangeHandler, AfterRuleHandler>();
        services.AddSingleton(sp => new RuleService(sp.GetRequiredService<RuleCompiler>(), sp.GetRequiredService<ChangeFeed>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IChangeHandler>(sp => new RuleChangeHandler(sp.GetRequiredService<RuleSetCache>()));
        services.AddSingleton(sp => new RuleTester(
            sp.GetRequiredService<RuleService>(), sp.GetRequiredService<RuleSetCache>(), sp.GetRequiredService<RuleCompiler>(), sp.GetRequiredService<RuleExecution>(),
            sp.GetRequiredService<RuleServices>(), sp.GetRequiredService<IOptions<RuleOptions>>(), sp.GetRequiredService<IOptions<CrmEngineOptions>>()));
        services.AddSingleton(sp => new ManualRuns(sp.GetRequiredService<RuleService>(), sp.GetRequiredService<RuleSetCache>(), sp.GetRequiredService<RecordRuleRunner>()));
        services.AddSingleton(sp => new RuleScheduler(
            sp.GetRequiredService<RuleSetCache>(), sp.GetRequiredService<RecordRuleRunner>(), sp.GetRequiredService<RecordReader>(), sp.GetRequiredService<Lazy<ScheduledWorkService>>(),
            sp.GetRequiredService<IOptions<RuleOptions>>(), sp.GetRequiredService<IOptions<CrmEngineOptions>>(), sp.GetRequiredService<ILogger<RuleScheduler>>()));
        services.AddSingleton<IScheduledWork>(sp => sp.GetRequiredService<RuleScheduler>());
        return services;
    }
}
