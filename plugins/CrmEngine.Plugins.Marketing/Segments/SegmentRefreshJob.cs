using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Marketing.Segments;

/// <summary>Refreshes every dynamic segment hourly, so campaigns drawing on them see who fits now.</summary>
internal sealed class SegmentRefreshJob : IScheduledJob
{
    public string Name => "segment-refresh";

    public string Cron => "0 * * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        await foreach (var segment in context.Records.QueryAllAsync(SegmentEntity.Name, Condition.Ne("kind", "static"), cancellationToken: cancellationToken))
        {
            await RefreshSegment.RefreshAsync(context.Records, segment, SegmentDefinition.Of(segment), context.ScheduledAt, cancellationToken);
        }
    }
}
