using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Tenancy;

namespace CrmEngine.Host.Admin;

/// <summary>
/// <c>tenants create a [b c ...]</c>: one process makes many tenants, so every tenant after the first
/// reuses what the first built (the plugins loaded, the schema's models and DDL). All the ids are
/// checked before any tenant is made, so a bad or taken id in the batch makes none.
/// </summary>
internal sealed class TenantBatch(IServiceProvider services, TextWriter output)
{
    public async Task<int> CreateAsync(IReadOnlyList<string> ids, string? name, string? server, CancellationToken cancellationToken)
    {
        if (name is not null && ids.Count > 1)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "--name names one tenant: give one id with it.");
        }

        var catalog = services.GetRequiredService<TenantCatalog>();
        if (ids.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new CrmException(ErrorCodes.NameTaken, $"Tenant id '{twice.Key}' is given twice.");
        }

        foreach (var id in ids)
        {
            await catalog.CheckNewTenantIdAsync(id, cancellationToken);
        }

        var provisioner = services.GetRequiredService<TenantProvisioner>();
        if (ids.Count > 1)
        {
            await output.WriteLineAsync($"Creating {ids.Count} tenants; each one's admin API key, shown once, after its id:");
        }

        foreach (var id in ids)
        {
            var row = await provisioner.CreateAsync(id, name ?? id, server, cancellationToken);
            var key = await catalog.CreateApiKeyAsync(id, "Initial admin key", [CrmPrincipal.AdminRole], null, null, cancellationToken);
            if (ids.Count == 1)
            {
                await output.WriteLineAsync($"Created tenant '{row.Id}' ({row.Store}). Its admin API key, shown once:");
                await output.WriteLineAsync(key.Key);
            }
            else
            {
                await output.WriteLineAsync($"{row.Id}\t{key.Key}");
            }
        }

        return 0;
    }
}
