using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>
/// Every night just after midnight China time, approved registrations whose protection ended the day
/// before expire, freeing their customer for other partners. Running twice expires nothing twice.
/// </summary>
internal sealed class RegistrationExpiry : IScheduledJob
{
    public string Name => "expire-registrations";

    public string Cron => "5 16 * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var today = PartnerSettings.Today(context.ScheduledAt);
        var ended = Condition.Eq("status", "approved").And(Condition.Lt("protectedUntil", today));
        foreach (var registration in await RecordReads.AllAsync(context.Records, RegistrationEntities.Registration, ended, cancellationToken))
        {
            await Writes.RequireAsync(context.Records.UpdateAsync(RegistrationEntities.Registration, registration.Id, new FieldValues { ["status"] = "expired" }, registration.Version, cancellationToken));
        }
    }
}
