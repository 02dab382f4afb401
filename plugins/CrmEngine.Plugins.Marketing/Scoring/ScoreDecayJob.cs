using CrmEngine.Sdk.Jobs;

namespace CrmEngine.Plugins.Marketing.Scoring;

/// <summary>
/// Re-scores every scored lead and contact nightly, at the run's scheduled time: points decay with
/// the days, and a lead whose sales score rose since may now cross the MQL threshold.
/// </summary>
internal sealed class ScoreDecayJob : IScheduledJob
{
    public string Name => "behaviour-score";

    public string Cron => "30 1 * * *";

    public async Task RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var settings = await ScoringSettings.LoadAsync(context.Settings, cancellationToken);
        foreach (var entity in PersonScorer.Entities)
        {
            var people = new List<Guid>();
            await foreach (var person in context.Records.QueryAllAsync(entity, Condition.IsNotNull("behaviourScoredAt"), cancellationToken: cancellationToken))
            {
                people.Add(person.Id);
            }

            foreach (var id in people)
            {
                var interactions = await PersonScorer.InteractionsAsync(context.Records, entity, id, null, null, cancellationToken);
                await PersonScorer.RescoreAsync(context.Records, settings, entity, id, interactions, context.ScheduledAt, cancellationToken);
            }
        }
    }
}
