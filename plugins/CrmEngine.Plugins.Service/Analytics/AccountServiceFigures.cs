using CrmEngine.Plugins.Service.Cases;
using CrmEngine.Plugins.Service.Common;
using CrmEngine.Plugins.Service.Sla;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;

namespace CrmEngine.Plugins.Service.Analytics;

/// <summary>
/// The service figures of an account, kept on the sales account so that <c>account360</c> (and any
/// list of accounts) shows them beside its cases: the cases still open, those of them past an SLA
/// target, and the average satisfaction with the number of answers. They are recomputed from the
/// account's cases after each committed change of a case (at least once, so a retry changes
/// nothing), never written by clients.
/// </summary>
internal static class AccountServiceFigures
{
    public const string Account = "account";

    private static readonly object?[] Finished = [CaseLifecycle.Resolved, CaseLifecycle.Closed];

    private static readonly ManagedFields Kept = new(["openServiceCases", "breachedServiceCases", "averageCsat", "csatAnswers"], new Dictionary<string, object> { ["openServiceCases"] = 0L, ["breachedServiceCases"] = 0L, ["csatAnswers"] = 0L });

    /// <summary>Case fields whose change can move an account's figures.</summary>
    public static readonly IReadOnlySet<string> Moving = new HashSet<string>(StringComparer.Ordinal) { "account", "status", "slaState", "csatScore" };

    public static void Declare(IPluginBuilder builder) => builder.ExtendEntity(Account, e => e
        .Integer("openServiceCases", f => f.Label("Open cases", "未结服务请求").Description("Cases not yet resolved or closed.", "尚未解决或关闭的服务请求。").Default("0"))
        .Integer("breachedServiceCases", f => f.Label("Open cases past an SLA target", "超时未结服务请求").Description("Open cases whose SLA state is breached.", "服务级别状态为已超时的未结服务请求。").Default("0"))
        .Decimal("averageCsat", f => f.Label("Average satisfaction (1–5)", "平均满意度（1–5）").Scale(2))
        .Integer("csatAnswers", f => f.Label("Satisfaction answers", "满意度回复数").Default("0")));

    /// <summary>A client's write of a figure is refused: the module keeps them.</summary>
    public static string? WrittenDirectly(IRecordContext record) => Kept.WrittenDirectly(record);

    /// <summary>Recomputes the figures of <paramref name="accountId"/> from its cases; writes only when they moved.</summary>
    public static async Task RefreshAsync(IRecordApi records, Guid accountId, CancellationToken cancellationToken)
    {
        if (await records.GetAsync(Account, accountId, cancellationToken) is not { } account)
        {
            return;
        }

        var of = Condition.Eq("account", accountId);
        var open = of.And(Condition.NotIn("status", Finished));
        var openCount = (await records.AggregateAsync(CaseEntity.Name, new AggregateRequest { Where = open }, cancellationToken)).Totals.Count;
        var breached = (await records.AggregateAsync(CaseEntity.Name, new AggregateRequest { Where = open.And(Condition.Eq("slaState", SlaStates.Breached)) }, cancellationToken)).Totals.Count;
        var csat = (await records.AggregateAsync(CaseEntity.Name, new AggregateRequest { Where = of.And(Condition.IsNotNull("csatScore")), Values = [Aggregate.Avg("csatScore")] }, cancellationToken)).Totals;
        var average = csat.Value<decimal?>(Aggregate.Avg("csatScore")) is { } avg ? Math.Round(avg, 2, MidpointRounding.AwayFromZero) : (decimal?)null;
        var figures = new FieldValues { ["openServiceCases"] = openCount, ["breachedServiceCases"] = breached, ["averageCsat"] = average, ["csatAnswers"] = csat.Count };
        if (figures.Any(f => !Equals(Normal(account.GetValue(f.Key)), Normal(f.Value))))
        {
            await Writes.RequireAsync(records.UpdateAsync(Account, accountId, figures, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Numbers as the store gives them back (long, decimal) compared by value.</summary>
    private static object? Normal(object? value) => value switch
    {
        int i => (decimal)i,
        long l => (decimal)l,
        decimal d => d,
        _ => value,
    };
}

/// <summary>After a case is written, the figures of its account (and of the account it left) are recomputed.</summary>
internal sealed class AccountFiguresFollowCases : IAfterRecordHook
{
    public string Entity => CaseEntity.Name;

    public RecordOperations Operations => RecordOperations.All;

    public async Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken)
    {
        if (change.Operation == RecordOperations.Update && !change.Changes.Any(c => AccountServiceFigures.Moving.Contains(c.Field)))
        {
            return;
        }

        var accounts = new HashSet<Guid>();
        if (await change.Records.GetAsync(CaseEntity.Name, change.RecordId, cancellationToken) is { } @case && @case.GetValue("account") is Guid current)
        {
            accounts.Add(current);
        }

        foreach (var moved in change.Changes.Where(c => c.Field == "account"))
        {
            foreach (var id in new[] { moved.Old, moved.New })
            {
                if (AccountId(id) is { } account)
                {
                    accounts.Add(account);
                }
            }
        }

        foreach (var account in accounts)
        {
            await AccountServiceFigures.RefreshAsync(change.Records, account, cancellationToken);
        }
    }

    /// <summary>A lookup's value in a change: its JSON text, the record's id as a string.</summary>
    private static Guid? AccountId(string? json) => Guid.TryParse(json?.Trim('"'), out var id) ? id : null;
}

/// <summary>The service figures on an account are the module's: a client's write of one is refused.</summary>
internal sealed class AccountFiguresKept : IBeforeRecordHook
{
    public string Entity => AccountServiceFigures.Account;

    public RecordOperations Operations => RecordOperations.Create | RecordOperations.Update;

    public Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken) =>
        AccountServiceFigures.WrittenDirectly(record) is { } field
            ? throw new OperationException(ServiceErrors.StatusByOperation, $"An account's {field} is computed by the service module from its cases.", field)
            : Task.CompletedTask;
}
