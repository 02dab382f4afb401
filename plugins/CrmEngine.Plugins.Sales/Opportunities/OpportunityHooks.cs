using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Sales.Opportunities;

/// <summary>
/// Keeps an opportunity consistent with its stage, however it is written: a new one starts in its
/// pipeline's first open stage (the default pipeline when none is given); a stage change takes the
/// stage's default probability and forecast category (unless the same write sets them), opens and
/// closes the opportunity for won and lost stages (lost needs a reason), records the stay in the
/// stage it leaves (time in stage) and counts as deal progress on the account.
/// </summary>
internal sealed class OpportunityHooks : IBeforeRecordHook
{
    public string Entity => OpportunityEntity.Name;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public async Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken)
    {
        var records = record.PrivilegedRecords;
        var creating = record.Operation == RecordOperations.Create;
        Guid pipeline;
        if (record.GetValue("pipeline") is not null)
        {
            // A pipeline the writer can't see is left for the engine to refuse, as one that doesn't exist.
            if (await Visibility.LinkedIdAsync(record, "pipeline", PipelineEntity.Name, cancellationToken) is not { } chosen)
            {
                return;
            }

            pipeline = chosen;
        }
        else
        {
            var fallback = await Pipelines.DefaultAsync(records, cancellationToken);
            if (fallback is null)
            {
                record.Reject("This tenant has no active pipeline; create one with its stages first.", "pipeline");
                return;
            }

            pipeline = fallback.Id;
            record.SetValue("pipeline", pipeline);
        }

        var stages = await Pipelines.StagesAsync(records, pipeline, cancellationToken);
        if (record.GetValue("stage") is not Guid stageId)
        {
            if (stages.FirstOrDefault(s => s.GetValue<string>("category") == "open") is not { } first)
            {
                record.Reject("The pipeline has no open stage.", "stage");
                return;
            }

            stageId = first.Id;
            record.SetValue("stage", stageId);
        }

        if (stages.FirstOrDefault(s => s.Id == stageId) is not { } stage)
        {
            record.Reject("The stage does not belong to the opportunity's pipeline.", "stage");
            return;
        }

        if (!creating && !record.IsChanging("stage"))
        {
            if (record.IsChanging("pipeline"))
            {
                record.Reject("Moving an opportunity to another pipeline needs a stage of that pipeline.", "stage");
            }

            return;
        }

        var previousStatus = record.GetPreviousValue("status") as string;
        if (!creating && previousStatus is "won" or "lost" && record.IsDirect)
        {
            record.Reject($"The opportunity is {previousStatus}; it no longer moves through stages.", "stage");
            return;
        }

        var now = DateTime.UtcNow;
        var at = record.IsChanging("stageEnteredAt") && record.GetValue("stageEnteredAt") is DateTime given ? given : now;
        var since = record.GetPreviousValue("stageEnteredAt") as DateTime?;
        if (at > now.AddMinutes(5) || (since is not null && at < since))
        {
            record.Reject("A stage change can't be dated in the future, nor before the opportunity entered its current stage.", "stageEnteredAt");
            return;
        }

        record.SetValue("stageEnteredAt", at);
        var category = stage.GetValue<string>("category");
        if (!record.IsChanging("probability") || category != "open")
        {
            record.SetValue("probability", category == "lost" ? 0m : stage.GetValue<decimal?>("probability") ?? 0m);
        }

        if (!record.IsChanging("forecastCategory") || category != "open")
        {
            record.SetValue("forecastCategory", category switch { "won" => "closed", "lost" => "omitted", _ => stage.GetValue<string>("forecastCategory") ?? "pipeline" });
        }

        record.SetValue("status", category);
        var settings = await SalesSettings.LoadAsync(record, cancellationToken);
        record.SetValue("closedOn", category == "open" ? null : Periods.Today(at, settings.Zone));
        if (category == "lost" && record.GetValue("lostReason") is null)
        {
            record.Reject("Say why the opportunity was lost (lostReason).", "lostReason");
            return;
        }

        if (!creating)
        {
            await RecordStayAsync(record, records, at, cancellationToken);
        }

        if (await Visibility.LinkedIdAsync(record, "account", AccountEntity.Name, cancellationToken) is { } account)
        {
            await Writes.OrRejectAsync(record, records.UpdateAsync(AccountEntity.Name, account, new FieldValues { ["lastDealProgressAt"] = at }, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Closes the stay in the stage being left and opens the one in the new stage.</summary>
    private static async Task RecordStayAsync(IRecordContext record, IRecordApi records, DateTime at, CancellationToken cancellationToken)
    {
        var open = await records.FindAsync(StageHistoryEntity.Name, Condition.Eq("opportunity", record.RecordId).And(Condition.IsNull("leftAt")), 10, cancellationToken);
        if (open.Count == 0 && record.GetPreviousValue("stage") is Guid previousStage)
        {
            // The first stay is written when it ends: a new opportunity can't be pointed at before it is stored.
            var entered = record.GetPreviousValue("stageEnteredAt") as DateTime? ?? (DateTime)record.GetPreviousValue("createdAt")!;
            await Writes.OrRejectAsync(record, records.CreateAsync(StageHistoryEntity.Name, new FieldValues
            {
                ["opportunity"] = record.RecordId,
                ["stage"] = previousStage,
                ["enteredAt"] = entered,
                ["leftAt"] = at,
                ["daysInStage"] = Days(entered, at),
                ["amount"] = record.GetPreviousValue("amount"),
                ["probability"] = record.GetPreviousValue("probability"),
            }, cancellationToken));
        }

        foreach (var stay in open)
        {
            await Writes.OrRejectAsync(record, records.UpdateAsync(StageHistoryEntity.Name, stay.Id, new FieldValues
            {
                ["leftAt"] = at,
                ["daysInStage"] = Days(stay.GetValue<DateTime>("enteredAt"), at),
            }, cancellationToken: cancellationToken));
        }

        await Writes.OrRejectAsync(record, records.CreateAsync(StageHistoryEntity.Name, new FieldValues
        {
            ["opportunity"] = record.RecordId,
            ["stage"] = record.GetValue("stage"),
            ["enteredAt"] = at,
            ["amount"] = record.GetValue("amount"),
            ["probability"] = record.GetValue("probability"),
        }, cancellationToken));
    }

    public static decimal Days(DateTime from, DateTime to) => Math.Round((decimal)(to - from).TotalDays, 2, MidpointRounding.AwayFromZero);
}
