using CrmEngine.Plugins.Marketing.Campaigns;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Scoring;

/// <summary>
/// <c>behaviourScore(leadId | contactId, asOf)</c>: a person's behavioural score on a day, with each
/// interaction's points, age and decayed points, and (for a lead) sales' score, the combined score
/// and the MQL threshold, so the figure can be redone by hand.
/// </summary>
internal sealed class BehaviourScoreQuery : IPluginOperation
{
    public string Name => "behaviourScore";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "A lead's or contact's behavioural score on a day (today when asOf is omitted), interaction by interaction, with the lead's combined score and the MQL threshold.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("leadId", TypeRef.Id), new("contactId", TypeRef.Id), new("asOf", TypeRef.Date)];

    public TypeRef Result => TypeRef.Object("BehaviourScore",
        new FieldRef("score", TypeRef.Long.NonNull(), "The sum of the decayed points, rounded half away from zero."),
        new FieldRef("fitScore", TypeRef.Long, "Sales' score of the lead (null for a contact)."),
        new FieldRef("combinedScore", TypeRef.Long, "fitScore + score, compared with the threshold (null for a contact)."),
        new FieldRef("mqlThreshold", TypeRef.Long.NonNull()),
        new FieldRef("halfLifeDays", TypeRef.Long.NonNull()),
        new FieldRef("interactions", TypeRef.ListOf(TypeRef.Object("ScoredInteraction",
            new FieldRef("campaign", TypeRef.Entity(CampaignEntity.Name)),
            new FieldRef("kind", TypeRef.String.NonNull(), "opened, clicked or responded (a campaign's); pageVisit or customEvent (the website's)."),
            new FieldRef("eventName", TypeRef.String, "A custom event's name."),
            new FieldRef("at", TypeRef.DateTime.NonNull()),
            new FieldRef("points", TypeRef.Long.NonNull()),
            new FieldRef("ageDays", TypeRef.Int.NonNull(), "Whole UTC calendar days from the interaction to asOf."),
            new FieldRef("decayedPoints", TypeRef.Decimal.NonNull(), "points × 0.5^(ageDays ÷ halfLifeDays), to 4 places."))).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var named = new[] { ("lead", "leadId"), ("contact", "contactId") }.Where(p => context.Arguments.GetValueOrDefault(p.Item2) is not null).ToList();
        if (named.Count != 1)
        {
            throw new OperationException(MarketingErrors.InvalidInput, "Name exactly one lead (leadId) or contact (contactId).", "leadId");
        }

        var (entity, argument) = named[0];
        var person = await Writes.ExistingAsync(context.Records, entity, context.RecordId(argument, entity), argument, cancellationToken);
        var asOf = context.Argument<DateOnly?>("asOf") ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var settings = await ScoringSettings.LoadAsync(context.Settings, cancellationToken);
        var scored = BehaviourScore.Score(await PersonScorer.InteractionsAsync(context.Records, entity, person.Id, null, null, cancellationToken), settings, asOf);
        var score = BehaviourScore.Total(scored);
        var fit = entity == "lead" ? person.GetValue<long?>("score") ?? 0 : (long?)null;
        var interactions = new List<Dictionary<string, object?>>();
        foreach (var s in scored)
        {
            interactions.Add(new Dictionary<string, object?>
            {
                ["campaign"] = s.Interaction.CampaignId is { } campaign ? await context.Records.GetAsync(CampaignEntity.Name, campaign, cancellationToken) : null,
                ["kind"] = s.Interaction.Kind,
                ["eventName"] = s.Interaction.EventName,
                ["at"] = s.Interaction.At,
                ["points"] = s.Points,
                ["ageDays"] = s.AgeDays,
                ["decayedPoints"] = s.Decayed,
            });
        }

        return new Dictionary<string, object?>
        {
            ["score"] = score,
            ["fitScore"] = fit,
            ["combinedScore"] = fit + score,
            ["mqlThreshold"] = settings.MqlThreshold,
            ["halfLifeDays"] = settings.HalfLifeDays,
            ["interactions"] = interactions,
        };
    }
}
