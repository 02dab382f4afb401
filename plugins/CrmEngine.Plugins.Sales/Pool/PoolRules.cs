using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Pool;

/// <summary>
/// The pool's rules, shared by its operations and job: which accounts a caller may name; a rep
/// holds at most their quota of accounts; a rep who released an account (or lost it to the pool)
/// waits the cool-down before claiming it back; every move is a poolMove record written in the same
/// transaction as the account's change.
/// </summary>
internal static class PoolRules
{
    /// <summary>
    /// The account a pool operation's <c>id</c> names. Besides the accounts the caller's role reads,
    /// the pool's own rules give them the accounts in the pool when the pool serves them (reps claim
    /// from it, managers assign from it) and the accounts held by reps they manage. Any other account
    /// is answered as a made-up id, so a hidden holder's account shows neither its name nor its state.
    /// </summary>
    public static Task<CrmRecord> AccountAsync(IOperationContext context, SalesSettings settings, CancellationToken cancellationToken) =>
        Visibility.RequireAsync(context, AccountEntity.Name, context.RecordId("id", AccountEntity.Name), "id", cancellationToken, async account =>
            account.GetValue<bool?>("inPool") == true
                ? await Reps.WorkThePoolAsync(context, settings, cancellationToken)
                : account.OwnerId is { } holder && await Reps.ManagesAsync(context.Identity, context.Directory, settings, holder, cancellationToken));

    public static async Task RequireQuotaAsync(IRecordApi records, Rep rep, SalesSettings settings, string argument, CancellationToken cancellationToken)
    {
        var held = await records.CountAsync(AccountEntity.Name, Condition.Eq("ownerId", rep.UserId).And(Condition.Ne("inPool", true)), cancellationToken);
        if (held >= rep.Quota(settings))
        {
            throw new OperationException(SalesErrors.QuotaExceeded, $"{rep.Name} already holds {held} accounts, the most allowed ({rep.Quota(settings)}); release one first.", argument);
        }
    }

    public static async Task RequireCooledDownAsync(IRecordApi records, Guid accountId, Rep rep, SalesSettings settings, DateTime now, CancellationToken cancellationToken)
    {
        if (settings.ClaimCoolDownDays <= 0)
        {
            return;
        }

        var since = now.AddDays(-settings.ClaimCoolDownDays);
        var recent = await records.QueryAsync(PoolMoveEntity.Name, new RecordQuery
        {
            Where = Condition.All(Condition.Eq("account", accountId), Condition.Eq("ownerId", rep.UserId), Condition.In("action", ["released", "returned"]), Condition.Gt("at", since)),
            OrderBy = [SortBy.Desc("at")],
            First = 1,
        }, cancellationToken);
        if (recent.Records.FirstOrNull() is { } move)
        {
            var until = move.GetValue<DateTime>("at").AddDays(settings.ClaimCoolDownDays);
            throw new OperationException(SalesErrors.CoolDown, $"{rep.Name} gave this account up on {move.GetValue<DateTime>("at"):yyyy-MM-dd HH:mm} UTC and may claim it again from {until:yyyy-MM-dd HH:mm} UTC.", "id");
        }
    }

    /// <summary>Moves the account (with a version check, so of two concurrent moves one wins) and records the move.</summary>
    public static async Task<CrmRecord> MoveAsync(IRecordApi records, CrmRecord account, FieldValues changes, string action, Guid concerned, string? reason, string? note, DateTime at, CancellationToken cancellationToken)
    {
        var outcome = await records.UpdateAsync(AccountEntity.Name, account.Id, changes, account.Version, cancellationToken);
        if (!outcome.Succeeded)
        {
            throw outcome.Errors[0].Code == "VERSION_CONFLICT"
                ? new OperationException(SalesErrors.AlreadyClaimed, $"Account '{account.GetValue<string>("name")}' was just taken or moved by someone else.", "id")
                : new OperationException(outcome.Errors[0].Code, outcome.Errors[0].Message, outcome.Errors[0].Field);
        }

        await Writes.RequireAsync(records.CreateAsync(PoolMoveEntity.Name, new FieldValues
        {
            ["account"] = account.Id,
            ["action"] = action,
            ["reason"] = reason,
            ["note"] = note,
            ["at"] = at,
            ["ownerId"] = concerned,
        }, cancellationToken));
        return outcome.Record!;
    }

    public static FieldValues ToPool(Guid systemUser, string reason, DateTime at) => new()
    {
        ["inPool"] = true,
        ["poolEnteredAt"] = at,
        ["poolReason"] = reason,
        ["ownerId"] = systemUser,
        ["nextFollowUpAt"] = null,
    };

    public static FieldValues ToRep(Guid rep) => new()
    {
        ["inPool"] = false,
        ["poolEnteredAt"] = null,
        ["poolReason"] = null,
        ["ownerId"] = rep,
    };
}
