using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Sdk.Hooks;

/// <summary>What every record hook declares: which entity and which writes it handles, and when it runs.</summary>
public interface IRecordHookTarget
{
    /// <summary>The entity's API name.</summary>
    string Entity { get; }

    /// <summary>The writes handled.</summary>
    RecordOperations Operations { get; }

    /// <summary>Lower runs first among hooks of the same stage.</summary>
    int Order => 0;
}

/// <summary>
/// Checks a write before anything else runs (Dataverse's pre-validation). It may reject; changes
/// belong in a before hook. Runs inside the write's transaction.
/// </summary>
public interface IRecordValidator : IRecordHookTarget
{
    /// <summary>Checks the write; call <see cref="IRecordContext.Reject"/> to refuse it, or throw <see cref="Operations.OperationException"/> to refuse it with your own code.</summary>
    Task ValidateAsync(IRecordContext record, CancellationToken cancellationToken);
}

/// <summary>
/// Runs just before a write is stored (Dataverse's pre-operation): it may change the record or
/// reject it, and its writes through <see cref="IRecordContext.Records"/> commit with it.
/// An <see cref="Operations.OperationException"/> refuses the write with its code and field; any
/// other exception fails the write with PLUGIN_ERROR naming the plugin. Either way nothing is written.
/// </summary>
public interface IBeforeRecordHook : IRecordHookTarget
{
    /// <summary>Changes or refuses the write.</summary>
    Task BeforeAsync(IRecordContext record, CancellationToken cancellationToken);
}

/// <summary>
/// Runs after a write has committed (Dataverse's post-operation, asynchronous): at least once, in
/// commit order per record. An exception makes the engine retry later with back-off.
/// </summary>
public interface IAfterRecordHook : IRecordHookTarget
{
    /// <summary>Reacts to the committed change.</summary>
    Task AfterAsync(IRecordEvent change, CancellationToken cancellationToken);
}

/// <summary>A committed change, as an after hook sees it.</summary>
public interface IRecordEvent
{
    /// <summary>The entity written.</summary>
    string Entity { get; }

    /// <summary>The record.</summary>
    Guid RecordId { get; }

    /// <summary>What kind of write it was.</summary>
    RecordOperations Operation { get; }

    /// <summary>The record's version after the write.</summary>
    long Version { get; }

    /// <summary>When it was written (UTC).</summary>
    DateTime At { get; }

    /// <summary>The fields that changed, with their old and new values (JSON-compatible API values).</summary>
    IReadOnlyList<FieldChangeInfo> Changes { get; }

    /// <summary>Who made the change.</summary>
    Identity.ICrmIdentity Identity { get; }

    /// <summary>The record API, acting as the engine's system identity on the change's tenant.</summary>
    IRecordApi Records { get; }

    /// <summary>The tenant's users and teams.</summary>
    Identity.IUserDirectory Directory { get; }

    /// <summary>Notifications to users.</summary>
    Notifications.INotifier Notifications { get; }

    /// <summary>Messages to records (e-mail, SMS, webhook).</summary>
    Messaging.IMessaging Messaging { get; }

    /// <summary>The plugin's settings on this tenant (the tenant's values, else the defaults).</summary>
    IPluginSettings Settings { get; }
}

/// <summary>One field's change in a committed write.</summary>
/// <param name="Field">The field's API name.</param>
/// <param name="Old">The value before (as JSON text), or null.</param>
/// <param name="New">The value after (as JSON text), or null.</param>
public sealed record FieldChangeInfo(string Field, string? Old, string? New);
