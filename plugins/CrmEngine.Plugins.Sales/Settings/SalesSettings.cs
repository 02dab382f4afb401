using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Settings;

/// <summary>
/// The tenant's sales settings as the module reads them (the defaults when the record is missing).
/// They are the tenant's rules, not a record the caller works with: operations and hooks read them
/// with full permissions, so a caller whose role can't read the settings record is still served by them.
/// </summary>
internal sealed record SalesSettings
{
    public string Currency { get; init; } = "CNY";

    public TimeZoneInfo Zone { get; init; } = Periods.Zone(null);

    public string LeadAssignment { get; init; } = "roundRobin";

    public IReadOnlyList<string> DedupFields { get; init; } = ["email", "phone", "company"];

    public string DuplicateAction { get; init; } = "merge";

    public long GradeA { get; init; } = 70;

    public long GradeB { get; init; } = 40;

    public long GradeC { get; init; } = 20;

    public long RemindAfterDays { get; init; } = 7;

    public long PoolNoFollowUpDays { get; init; } = 30;

    public long PoolNoDealDays { get; init; } = 90;

    public long MaxAccountsPerRep { get; init; } = 50;

    public long ClaimCoolDownDays { get; init; } = 7;

    public string ManagerRole { get; init; } = "salesManager";

    public string CommissionBasis { get; init; } = "rep";

    public decimal DefaultCommissionRate { get; init; } = 3m;

    public long LoyalAfterOrders { get; init; } = 5;

    public long AtRiskAfterDays { get; init; } = 180;

    /// <summary>The settings, for an operation.</summary>
    public static Task<SalesSettings> LoadAsync(IOperationContext context, CancellationToken cancellationToken) => LoadAsync(context.PrivilegedRecords, cancellationToken);

    /// <summary>The settings, for a hook.</summary>
    public static Task<SalesSettings> LoadAsync(IRecordContext record, CancellationToken cancellationToken) => LoadAsync(record.PrivilegedRecords, cancellationToken);

    /// <summary>The settings through a record API that reads them (a privileged one, or the system identity's in jobs and rules).</summary>
    public static async Task<SalesSettings> LoadAsync(IRecordApi records, CancellationToken cancellationToken)
    {
        var record = (await records.FindAsync(SalesSettingsEntity.Name, null, 1, cancellationToken)).FirstOrNull();
        var defaults = new SalesSettings();
        if (record is null)
        {
            return defaults;
        }

        return new SalesSettings
        {
            Currency = record.GetValue<string>("currency") ?? defaults.Currency,
            Zone = Periods.Zone(record.GetValue<string>("timeZone")),
            LeadAssignment = record.GetValue<string>("leadAssignment") ?? defaults.LeadAssignment,
            DedupFields = record.GetValue("dedupFields") as IReadOnlyList<string> ?? [],
            DuplicateAction = record.GetValue<string>("duplicateAction") ?? defaults.DuplicateAction,
            GradeA = record.GetValue<long?>("gradeAScore") ?? defaults.GradeA,
            GradeB = record.GetValue<long?>("gradeBScore") ?? defaults.GradeB,
            GradeC = record.GetValue<long?>("gradeCScore") ?? defaults.GradeC,
            RemindAfterDays = record.GetValue<long?>("remindAfterDays") ?? defaults.RemindAfterDays,
            PoolNoFollowUpDays = record.GetValue<long?>("poolNoFollowUpDays") ?? defaults.PoolNoFollowUpDays,
            PoolNoDealDays = record.GetValue<long?>("poolNoDealDays") ?? defaults.PoolNoDealDays,
            MaxAccountsPerRep = record.GetValue<long?>("maxAccountsPerRep") ?? defaults.MaxAccountsPerRep,
            ClaimCoolDownDays = record.GetValue<long?>("claimCoolDownDays") ?? defaults.ClaimCoolDownDays,
            ManagerRole = record.GetValue<string>("managerRole") ?? defaults.ManagerRole,
            CommissionBasis = record.GetValue<string>("commissionBasis") ?? defaults.CommissionBasis,
            DefaultCommissionRate = record.GetValue<decimal?>("defaultCommissionRate") ?? defaults.DefaultCommissionRate,
            LoyalAfterOrders = record.GetValue<long?>("loyalAfterOrders") ?? defaults.LoyalAfterOrders,
            AtRiskAfterDays = record.GetValue<long?>("atRiskAfterDays") ?? defaults.AtRiskAfterDays,
        };
    }

    public string Grade(long score) => score >= GradeA ? "A" : score >= GradeB ? "B" : score >= GradeC ? "C" : "D";
}
