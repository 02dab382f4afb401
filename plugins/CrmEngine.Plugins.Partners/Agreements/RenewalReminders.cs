using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Partners.Agreements;

/// <summary>
/// Every morning (09:00 China time): the owner of an approved agreement is reminded once to renew it
/// when it is within its <c>renewalReminderDays</c> of ending, and a partner's owner once when one of
/// its certifications expires within 30 days. Each reminder is recorded on its record, so a run that
/// repeats or catches up after a pause reminds nobody twice.
/// </summary>
internal sealed class RenewalReminders : IScheduledJob
{
    public const int CertificationNoticeDays = 30;

    public string Name => "renewal-reminders";

    public string Cron => "0 1 * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var today = PartnerSettings.Today(context.ScheduledAt);
        var agreements = Condition.All(Condition.Eq("status", "approved"), Condition.IsNull("renewalRemindedAt"), Condition.Gte("endDate", today), Condition.Lte("endDate", today.AddDays(365)));
        foreach (var agreement in await RecordReads.AllAsync(context.Records, AgreementEntities.Agreement, agreements, cancellationToken))
        {
            var end = agreement.GetValue<DateOnly>("endDate");
            if (end.AddDays(-(int)(agreement.GetValue<long?>("renewalReminderDays") ?? 30)) <= today && agreement.OwnerId is { } owner)
            {
                await context.Notifications.NotifyAsync(owner, $"合作协议「{agreement.GetValue<string>("name")}」（{agreement.GetValue<string>("number")}）将于 {end:yyyy-MM-dd} 到期，请及时续约。", AgreementEntities.Agreement, agreement.Id, cancellationToken);
                await Writes.RequireAsync(context.Records.UpdateAsync(AgreementEntities.Agreement, agreement.Id, new FieldValues { ["renewalRemindedAt"] = context.ScheduledAt }, agreement.Version, cancellationToken));
            }
        }

        var certifications = Condition.All(Condition.IsNull("expiryRemindedAt"), Condition.Gte("expiresOn", today), Condition.Lte("expiresOn", today.AddDays(CertificationNoticeDays)));
        foreach (var certification in await RecordReads.AllAsync(context.Records, PartnerEntities.Certification, certifications, cancellationToken))
        {
            var partner = await context.Records.GetAsync(PartnerEntities.Partner, certification.GetValue<Guid>("partner"), cancellationToken);
            if (partner?.OwnerId is { } owner)
            {
                await context.Notifications.NotifyAsync(owner, $"合作伙伴「{partner.GetValue<string>("name")}」的认证「{certification.GetValue<string>("name")}」将于 {certification.GetValue<DateOnly>("expiresOn"):yyyy-MM-dd} 到期。", PartnerEntities.Certification, certification.Id, cancellationToken);
            }

            await Writes.RequireAsync(context.Records.UpdateAsync(PartnerEntities.Certification, certification.Id, new FieldValues { ["expiryRemindedAt"] = context.ScheduledAt }, certification.Version, cancellationToken));
        }
    }
}
