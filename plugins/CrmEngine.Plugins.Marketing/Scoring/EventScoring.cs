using CrmEngine.Plugins.Marketing.Interactions;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Marketing.Scoring;

/// <summary>
/// Re-scores a lead or contact when the events endpoint records one of their page visits or custom
/// events, in the interaction's own write: the event's points (<c>scorePageVisit</c>,
/// <c>scoreCustomEvent</c>) count at once, and a lead they carry over the MQL threshold is handed over
/// with the event, or neither is written.
/// </summary>
internal sealed class EventScoring : IBeforeRecordHook
{
    public string Entity => InteractionEntity.Name;

    public RecordOperations Operations => RecordOperations.Create;

    /// <summary>After <see cref="InteractionGuard"/>, which refuses clients' writes.</summary>
    public int Order => 10;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        if (record.IsDirect || record.GetValue("kind") is not string kind || !ScoringSettings.EventKinds.Contains(kind)
            || PersonScorer.Entities.FirstOrDefault(e => record.GetValue(e) is Guid) is not { } entity)
        {
            return;
        }

        var personId = (Guid)record.GetValue(entity)!;
        var settings = await ScoringSettings.LoadAsync(record.Settings, cancellationToken);
        var happened = PersonScorer.Event(record.RecordId, record.GetValue);
        var interactions = await PersonScorer.InteractionsAsync(record.PrivilegedRecords, entity, personId, record.RecordId, [happened], cancellationToken);
        await PersonScorer.RescoreAsync(record.PrivilegedRecords, settings, entity, personId, interactions, happened.At, cancellationToken);
    }
}
