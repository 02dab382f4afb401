using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Sales.Leads;

/// <summary>
/// Every ten minutes, new leads whose owner is not an active rep (captured before any rep existed,
/// or left by a rep who was deactivated) are assigned again, so no lead waits without an owner.
/// </summary>
internal sealed class LeadAssignmentSweep : IScheduledJob
{
    public string Name => "lead-assignment-sweep";

    public string Cron => "*/10 * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context.Records, cancellationToken);
        var reps = (await Reps.ActiveAsync(context.Records, context.Directory, cancellationToken)).Select(r => (object?)r.UserId).ToList();
        if (settings.LeadAssignment == "off" || reps.Count == 0)
        {
            return;
        }

        var waiting = Condition.Eq("status", "new").And(Condition.NotIn("ownerId", reps));
        var leads = new List<CrmRecord>();
        await foreach (var lead in context.Records.QueryAllAsync(LeadEntity.Name, waiting, cancellationToken: cancellationToken))
        {
            leads.Add(lead);
        }

        foreach (var lead in leads)
        {
            if (await LeadAssigner.PickAsync(context.Records, context.Directory, settings, lead.GetValue<string>("province"), lead.GetValue<string>("city"), cancellationToken) is { } rep)
            {
                // A lead someone touched meanwhile keeps what they did (version check).
                await context.Records.UpdateAsync(LeadEntity.Name, lead.Id, new FieldValues { ["ownerId"] = rep.UserId }, lead.Version, cancellationToken);
            }
        }
    }
}
