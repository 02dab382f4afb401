using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Partners.Matching;

/// <summary>
/// Gives the accounts, leads and contacts a tenant already has their match keys when the partners
/// module is enabled there: <see cref="MatchKeyHook"/> keeps them only from the module's first write on,
/// and a deal registration must collide with a customer the CRM held before the channel existed (a
/// tenant on sales alone that turns partners on, or the demo tenant, whose sales data is seeded first).
/// Each record whose stored keys differ from its computed ones is updated through the pipeline, which
/// runs the hook; a record already right is not written, so an interrupted seed resumes where it was.
/// </summary>
internal sealed class MatchKeyBackfill : IPluginSeed
{
    private static readonly MatchKeyHook[] Hooks = [new AccountMatchKeys(), new LeadMatchKeys(), new ContactMatchKeys()];

    public async Task SeedAsync(ISeedContext context, CancellationToken cancellationToken)
    {
        foreach (var hook in Hooks)
        {
            await foreach (var record in context.Records.QueryAllAsync(hook.Entity, cancellationToken: cancellationToken))
            {
                var stale = hook.Keys(record.GetValue).Where(k => !Equals(record.GetValue(k.Field), k.Key)).ToDictionary(k => k.Field, k => (object?)k.Key);
                if (stale.Count > 0)
                {
                    await Common.Writes.RequireAsync(context.Records.UpdateAsync(hook.Entity, record.Id, stale, cancellationToken: cancellationToken));
                }
            }
        }
    }
}
