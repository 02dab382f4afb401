using CrmEngine.Plugins.Sales.Accounts;
using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Pool;

/// <summary><c>claimAccount(id)</c>: a rep takes an account from the pool, within their quota and after any cool-down. Of two reps claiming at once, exactly one gets it.</summary>
internal sealed class ClaimAccount : IPluginOperation
{
    public string Name => "claimAccount";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Claims an account from the shared pool (公海) for the calling rep, within the rep's quota and after the cool-down.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The account.")];

    public TypeRef Result => TypeRef.Entity(AccountEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.PrivilegedRecords;
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var rep = await Reps.FindAsync(records, context.Directory, context.Identity.UserId, cancellationToken)
            ?? throw new OperationException(SalesErrors.NotARep, "Only sales reps (users with a sales rep profile) claim accounts.", "id");
        var account = await PoolRules.AccountAsync(context, settings, cancellationToken);
        if (account.GetValue<bool?>("inPool") != true)
        {
            throw new OperationException(SalesErrors.AlreadyClaimed, $"Account '{account.GetValue<string>("name")}' is not in the pool: someone holds it.", "id");
        }

        var now = DateTime.UtcNow;
        await PoolRules.RequireQuotaAsync(records, rep, settings, "id", cancellationToken);
        await PoolRules.RequireCooledDownAsync(records, account.Id, rep, settings, now, cancellationToken);
        return await Visibility.AsSeenAsync(context, await PoolRules.MoveAsync(records, account, PoolRules.ToRep(rep.UserId), "claimed", rep.UserId, null, null, now, cancellationToken), cancellationToken);
    }
}

/// <summary><c>releaseAccount(id, note)</c>: the holder (or their manager) gives an account back to the pool.</summary>
internal sealed class ReleaseAccount : IPluginOperation
{
    public string Name => "releaseAccount";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Releases an account to the shared pool (公海); only its holder or their manager may. Returns the account as the caller may still see it (null once it is out of their scope).";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The account."), new("note", TypeRef.String, "Why.")];

    public TypeRef Result => TypeRef.Entity(AccountEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.PrivilegedRecords;
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var account = await PoolRules.AccountAsync(context, settings, cancellationToken);
        if (account.GetValue<bool?>("inPool") == true)
        {
            throw new OperationException(SalesErrors.InvalidState, $"Account '{account.GetValue<string>("name")}' is already in the pool.", "id");
        }

        var holder = account.OwnerId!.Value;
        if (holder != context.Identity.UserId && !await Reps.ManagesAsync(context.Identity, context.Directory, settings, holder, cancellationToken))
        {
            throw new OperationException(SalesErrors.Forbidden, "Only the account's holder or their manager may release it.", "id");
        }

        var now = DateTime.UtcNow;
        return await Visibility.AsSeenAsync(context, await PoolRules.MoveAsync(records, account, PoolRules.ToPool(context.Directory.SystemUserId, "released", now), "released", holder, "released", context.Argument<string>("note"), now, cancellationToken), cancellationToken);
    }
}

/// <summary><c>assignAccount(id, userId, note)</c>: a manager gives an account (from the pool or another rep) to a rep within the rep's quota.</summary>
internal sealed class AssignAccount : IPluginOperation
{
    public string Name => "assignAccount";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Assigns an account to a rep (from the pool or from another rep); managers only.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("id", TypeRef.Id.NonNull(), "The account."),
        new("userId", TypeRef.Id.NonNull(), "The rep who gets it."),
        new("note", TypeRef.String, "Why."),
    ];

    public TypeRef Result => TypeRef.Entity(AccountEntity.Name);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.PrivilegedRecords;
        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var target = context.UserId("userId");
        var rep = await Reps.FindAsync(records, context.Directory, target, cancellationToken)
            ?? throw new OperationException(SalesErrors.NotARep, "Accounts are assigned to sales reps (active users with a sales rep profile).", "userId");
        if (!await Reps.ManagesAsync(context.Identity, context.Directory, settings, target, cancellationToken))
        {
            throw new OperationException(SalesErrors.Forbidden, "Only a manager of the rep (team manager, the manager role, or an admin) assigns accounts.", "userId");
        }

        var account = await PoolRules.AccountAsync(context, settings, cancellationToken);
        if (account.OwnerId == target && account.GetValue<bool?>("inPool") != true)
        {
            throw new OperationException(SalesErrors.InvalidState, $"{rep.Name} already holds this account.", "userId");
        }

        await PoolRules.RequireQuotaAsync(records, rep, settings, "userId", cancellationToken);
        return await Visibility.AsSeenAsync(context, await PoolRules.MoveAsync(records, account, PoolRules.ToRep(target), "assigned", target, "manual", context.Argument<string>("note"), DateTime.UtcNow, cancellationToken), cancellationToken);
    }
}
