using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Entitlements;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Service.Cases;

/// <summary>
/// <c>mergeServiceCases(id, duplicateId)</c>: folds a duplicate case into the one kept. The
/// duplicate's messages move to the kept case (a note there says where they came from); the duplicate
/// is closed as merged (<c>mergedIntoCase</c>), and a case it used from a cases entitlement is given back,
/// since the customer asked once. Its hours, diagnoses and work orders stay where they were done.
/// </summary>
internal sealed class MergeServiceCases(TimeProvider time) : IPluginOperation
{
    public string Name => "mergeServiceCases";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Merges a duplicate case into the case kept: its messages move over, it is closed as merged into the kept case, and the entitlement case it used is given back.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The case kept."), new("duplicateId", TypeRef.Id.NonNull(), "The duplicate, closed as merged.")];

    public TypeRef Result => TypeRef.Entity(CaseEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var kept = await Writes.ExistingAsync(context, CaseEntity.Name, "id", cancellationToken);
        var duplicate = await Writes.ExistingAsync(context, CaseEntity.Name, "duplicateId", cancellationToken);
        if (kept.Id == duplicate.Id)
        {
            throw new OperationException(ServiceErrors.InvalidInput, "A case can't be merged into itself.", "duplicateId");
        }

        foreach (var (@case, argument) in new[] { (kept, "id"), (duplicate, "duplicateId") })
        {
            if (@case.GetValue<string>("status") == CaseLifecycle.Closed)
            {
                throw new OperationException(ServiceErrors.CaseClosed, $"Case {@case.GetValue<string>("number")} is closed.", argument);
            }
        }

        var records = context.PrivilegedRecords;
        var now = time.GetUtcNow().UtcDateTime;
        var keptNumber = kept.GetValue<string>("number");
        await foreach (var message in records.QueryAllAsync(CaseMessageEntity.Name, Condition.Eq("case", duplicate.Id), cancellationToken: cancellationToken))
        {
            await Writes.RequireAsync(records.UpdateAsync(CaseMessageEntity.Name, message.Id, new FieldValues { ["case"] = kept.Id }, cancellationToken: cancellationToken));
        }

        await Writes.RequireAsync(records.CreateAsync(CaseMessageEntity.Name, new FieldValues
        {
            ["case"] = kept.Id, ["direction"] = "note", ["subject"] = $"合并 / Merged {duplicate.GetValue<string>("number")}",
            ["body"] = $"{duplicate.GetValue<string>("number")} {duplicate.GetValue<string>("subject")}", ["at"] = now,
        }, cancellationToken));

        if (duplicate.GetValue<string>("entitlementStatus") == EntitlementCheck.Covered && duplicate.GetValue("entitlement") is Guid entitlementId
            && await records.GetAsync(EntitlementEntities.Entitlement, entitlementId, cancellationToken) is { } entitlement && entitlement.GetValue<string>("unit") == "cases")
        {
            await Writes.RequireAsync(records.UpdateAsync(EntitlementEntities.Entitlement, entitlementId, new FieldValues { ["used"] = EntitlementCheck.Used(entitlement) - 1 }, entitlement.Version, cancellationToken), "duplicateId");
        }

        var closing = await CaseLifecycle.WithClockAsync(records, duplicate, new FieldValues
        {
            ["status"] = CaseLifecycle.Closed, ["closedAt"] = now, ["mergedIntoCase"] = kept.Id,
            ["resolution"] = $"合并至 {keptNumber} / Merged into {keptNumber}", ["resolvedAt"] = duplicate.GetValue("resolvedAt") ?? now,
        }, now, cancellationToken);
        await Writes.RequireAsync(records.UpdateAsync(CaseEntity.Name, duplicate.Id, closing, duplicate.Version, cancellationToken), "duplicateId");
        return await context.Records.GetAsync(CaseEntity.Name, kept.Id, cancellationToken);
    }
}
