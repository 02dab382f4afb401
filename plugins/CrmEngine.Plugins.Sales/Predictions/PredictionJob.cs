using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>Every night at 04:00 Beijing time (after the RFM scores) each tenant's predictive models are retrained from its own history and its open leads and customers re-scored.</summary>
internal sealed class PredictionJob : IScheduledJob
{
    public string Name => "predictive-scores";

    public string Cron => "0 20 * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var settings = await SalesSettings.LoadAsync(context.Records, cancellationToken);
        await PredictionRun.RunAsync(context.Records, context.ScheduledAt, Periods.Today(context.ScheduledAt, settings.Zone), cancellationToken);
    }
}
