using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Journeys;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Marketing.Scoring;

/// <summary>
/// The behavioural score fields marketing adds to sales' leads and contacts (and, on leads, the MQL
/// stamp), with the marketing tags journeys add and the person's <c>language</c> (zh or en), which picks
/// a campaign mail's variant and, by the messaging service's convention, a message template's.
/// </summary>
internal static class ScoreFields
{
    public static readonly string[] Computed = ["behaviourScore", "behaviourScoredAt", "mqlAt"];

    public static void Declare(IPluginBuilder builder)
    {
        foreach (var entity in PersonScorer.Entities)
        {
            builder.ExtendEntity(entity, e =>
            {
                TagFields.Add(e).Picklist("language", f => f.Label("Language", "语言").Option("zh", "Chinese (Simplified)", "简体中文").Option("en", "English", "英文"))
                    .Integer("behaviourScore", f => f.Label("Behavioural score", "行为评分").Range(0, null).Indexed())
                    .DateTime("behaviourScoredAt", f => f.Label("Behaviour scored", "行为评分时间"));
                if (entity == "lead")
                {
                    e.DateTime("mqlAt", f => f.Label("Marketing-qualified (MQL)", "营销合格时间（MQL）").Indexed());
                }
            });
        }
    }
}

/// <summary>Refuses client writes of the score fields: only the scoring writes them.</summary>
internal abstract class ScoreFieldGuard : IBeforeRecordHook
{
    public abstract string Entity { get; }

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect && ScoreFields.Computed.FirstOrDefault(f => record.ChangingFields.Contains(f)) is { } field)
        {
            throw new OperationException(MarketingErrors.ComputedField, $"'{field}' is computed from campaign interactions by the marketing module.", field);
        }

        return Task.CompletedTask;
    }
}

internal sealed class LeadScoreGuard : ScoreFieldGuard
{
    public override string Entity => "lead";
}

internal sealed class ContactScoreGuard : ScoreFieldGuard
{
    public override string Entity => "contact";
}
