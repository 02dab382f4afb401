namespace CrmEngine.Plugins.Marketing.Scoring;

/// <summary>
/// One engagement of a person: with a campaign (its membership's opened, clicked, responded), or on
/// the website (a page visit or a custom event, from the events endpoint, with no campaign); what they
/// did and when. <see cref="Source"/> is the membership or the interaction record, which orders ties.
/// </summary>
internal sealed record Interaction(Guid? CampaignId, Guid Source, string Kind, DateTime At, string? EventName = null);

/// <summary>An interaction's contribution on a date, as <c>behaviourScore</c> shows it.</summary>
internal sealed record ScoredInteraction(Interaction Interaction, long Points, int AgeDays, decimal Decayed);

/// <summary>
/// The behavioural score, redone by hand: each interaction is worth its kind's points, halved for
/// every <c>halfLifeDays</c> whole calendar days (UTC) between its date and the day scored
/// (points × 0.5^(age ÷ half-life)); the score is their sum, rounded half away from zero to a whole
/// number. A half-life of 0 or less keeps points forever.
/// </summary>
internal static class BehaviourScore
{
    public static IReadOnlyList<ScoredInteraction> Score(IEnumerable<Interaction> interactions, ScoringSettings settings, DateOnly asOf) =>
        [.. interactions.OrderBy(i => i.At).ThenBy(i => i.Source).Select(i =>
        {
            var points = settings.Points(i.Kind);
            var age = Math.Max(0, asOf.DayNumber - DateOnly.FromDateTime(i.At).DayNumber);
            var factor = settings.HalfLifeDays > 0 ? Math.Pow(0.5, (double)age / settings.HalfLifeDays) : 1d;
            return new ScoredInteraction(i, points, age, Math.Round((decimal)(points * factor), 4, MidpointRounding.AwayFromZero));
        })];

    public static long Total(IEnumerable<ScoredInteraction> scored) => (long)Math.Round(scored.Sum(s => s.Decayed), 0, MidpointRounding.AwayFromZero);
}
