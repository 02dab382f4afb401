using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Rules;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary><c>crm.plugins.sales.leadScore(lead)</c>: the module's default score, for rules that adjust it.</summary>
internal sealed class LeadScoreFunction : IRuleFunction
{
    public string Name => "leadScore";

    public string Description => "The sales module's default score for a lead (an object with email, phone, company, title, industry, source).";

    public Task<object?> InvokeAsync(IRuleFunctionContext context, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        var lead = arguments.Count > 0 ? arguments[0] as IReadOnlyDictionary<string, object?> ?? (arguments[0] as IDictionary<string, object?>)?.ToDictionary(p => p.Key, p => p.Value) : null;
        return Task.FromResult<object?>(LeadScoring.Score(field => lead?.GetValueOrDefault(field)));
    }
}

/// <summary><c>crm.plugins.sales.gradeFor(score)</c>: the grade the tenant's thresholds give a score.</summary>
internal sealed class GradeForFunction : IRuleFunction
{
    public string Name => "gradeFor";

    public string Description => "The lead grade (A, B, C or D) the tenant's sales settings give a score.";

    public async Task<object?> InvokeAsync(IRuleFunctionContext context, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context.Records, cancellationToken);
        return settings.Grade(Values.Convert<long>(arguments.Count > 0 ? arguments[0] : 0L));
    }
}

/// <summary><c>crm.plugins.sales.normalizeCompany(name)</c> and the phone twin: the keys duplicates are found by.</summary>
internal sealed class NormalizeCompanyFunction : IRuleFunction
{
    public string Name => "normalizeCompany";

    public string Description => "A company name as duplicate checks compare it (no case, punctuation or legal-form suffix).";

    public Task<object?> InvokeAsync(IRuleFunctionContext context, IReadOnlyList<object?> arguments, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Normalize.Company(arguments.Count > 0 ? arguments[0] as string : null));
}
