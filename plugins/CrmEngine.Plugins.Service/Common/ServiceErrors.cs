namespace CrmEngine.Plugins.Service.Common;

/// <summary>The stable codes the service module refuses with (declared in plugin.json), besides the engine's own.</summary>
internal static class ServiceErrors
{
    public const string NotFound = "NOT_FOUND";
    public const string InvalidInput = "INVALID_INPUT";
    public const string InvalidTransition = "SERVICE_INVALID_TRANSITION";
    public const string StatusByOperation = "SERVICE_STATUS_BY_OPERATION";
    public const string ResolutionRequired = "SERVICE_RESOLUTION_REQUIRED";
    public const string EscalationRequired = "SERVICE_ESCALATION_REQUIRED";
    public const string ReasonRequired = "SERVICE_REASON_REQUIRED";
    public const string CaseClosed = "SERVICE_CASE_CLOSED";
    public const string InvalidTimeZone = "SERVICE_INVALID_TIME_ZONE";
    public const string InvalidHours = "SERVICE_INVALID_HOURS";
    public const string InvalidIcs = "SERVICE_INVALID_ICS";
    public const string DuplicateDay = "SERVICE_DUPLICATE_DAY";
    public const string DuplicatePolicy = "SERVICE_DUPLICATE_POLICY";
    public const string NoAgent = "SERVICE_NO_AGENT";
    public const string EntitlementExhausted = "SERVICE_ENTITLEMENT_EXHAUSTED";
    public const string AllowanceBelowUsed = "SERVICE_ALLOWANCE_BELOW_USED";
    public const string InvalidId = "INVALID_ID";
    public const string TreeDeadEnd = "SERVICE_TREE_DEAD_END";
    public const string TreeCycle = "SERVICE_TREE_CYCLE";
    public const string TreeUnreachable = "SERVICE_TREE_UNREACHABLE";
    public const string DiagnosisFinished = "SERVICE_DIAGNOSIS_FINISHED";
    public const string TechnicianUnfit = "SERVICE_TECHNICIAN_UNFIT";
    public const string OutsideHours = "SERVICE_OUTSIDE_HOURS";
    public const string DoubleBooked = "SERVICE_DOUBLE_BOOKED";
    public const string WorkOrderDone = "SERVICE_WORK_ORDER_DONE";
}
