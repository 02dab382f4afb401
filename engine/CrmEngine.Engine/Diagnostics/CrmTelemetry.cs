using System.Diagnostics;
using CrmEngine.Engine.Records;

namespace CrmEngine.Engine.Diagnostics;

/// <summary>
/// The engine's traces: one <see cref="ActivitySource"/> whose spans cover a write's stages (validate,
/// before, persist; the after stage in the outbox), each hook, each rule run and each GraphQL
/// operation. The engine only emits; the host decides whether anything listens (OpenTelemetry, when
/// an exporter is configured). With no listener a span costs one check and no allocation.
/// </summary>
public static class CrmTelemetry
{
    /// <summary>The name of the engine's ActivitySource and Meter.</summary>
    public const string Name = "CrmEngine";

    public const string TenantTag = "crm.tenant";
    public const string EntityTag = "crm.entity";
    public const string OperationTag = "crm.operation";
    public const string OutcomeTag = "crm.outcome";
    public const string ErrorCodeTag = "crm.error.code";
    public const string HookSourceTag = "crm.hook.source";
    public const string RuleTag = "crm.rule";
    public const string RuleLimitTag = "crm.rule.limit";

    public static readonly ActivitySource Source = new(Name, typeof(CrmTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>A write's operation as metrics and spans name it ("create", "update", ...): one string per value, never formatted per call.</summary>
    public static string NameOf(RecordOperation operation) => operation switch
    {
        RecordOperation.Create => "create",
        RecordOperation.Update => "update",
        RecordOperation.Delete => "delete",
        RecordOperation.Restore => "restore",
        _ => "other",
    };

    /// <summary>A span for a write's stage (<c>crm.write.validate</c>, <c>.before</c>, <c>.persist</c>), a child of the write's; null when nothing listens.</summary>
    public static Activity? StartStage(string name) => Source.StartActivity(name);

    /// <summary>A span for work on a tenant's record: a write, a hook, the after stage; null when nothing listens.</summary>
    public static Activity? StartRecordWork(string name, string tenantId, string entity, RecordOperation operation, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = Source.StartActivity(name, kind);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TenantTag, tenantId);
            activity.SetTag(EntityTag, entity);
            activity.SetTag(OperationTag, NameOf(operation));
        }

        return activity;
    }

    /// <summary>Marks a span as failed with the error code a client sees (refusals are outcomes, not failures of the server).</summary>
    public static void Refused(Activity? activity, string code)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OutcomeTag, "refused");
            activity.SetTag(ErrorCodeTag, code);
        }
    }

    /// <summary>Marks a span as failed by an exception: status error, the exception recorded as an event.</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.AddException(exception);
        }
    }
}
