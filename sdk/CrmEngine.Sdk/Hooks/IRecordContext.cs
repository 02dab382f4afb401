using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Notifications;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Sdk.Hooks;

/// <summary>A write as a validate or before hook sees it, inside the write's transaction.</summary>
public interface IRecordContext
{
    /// <summary>The entity being written.</summary>
    string Entity { get; }

    /// <summary>What kind of write this is.</summary>
    RecordOperations Operation { get; }

    /// <summary>The record's id (already assigned on create).</summary>
    Guid RecordId { get; }

    /// <summary>Who is writing.</summary>
    ICrmIdentity Identity { get; }

    /// <summary>The record API, acting as <see cref="Identity"/>; writes join this write.</summary>
    IRecordApi Records { get; }

    /// <summary>
    /// The record API with full record permissions, still acting as (and attributed to)
    /// <see cref="Identity"/>: for bookkeeping writes the plugin's own logic makes on records the
    /// writer's role alone might not reach. Writes join this write.
    /// </summary>
    IRecordApi PrivilegedRecords { get; }

    /// <summary>The tenant's users and teams.</summary>
    IUserDirectory Directory { get; }

    /// <summary>Notifications to users, sent only if this write commits.</summary>
    INotifier Notifications { get; }

    /// <summary>Messages to records (e-mail, SMS, webhook), queued only if this write commits.</summary>
    Messaging.IMessaging Messaging { get; }

    /// <summary>The plugin's settings on this tenant (the tenant's values, else the defaults).</summary>
    IPluginSettings Settings { get; }

    /// <summary>
    /// True when an API client wrote the record directly (a GraphQL mutation or an import); false when
    /// a hook, a rule, a job, a seed or a plugin operation made the write. Lets a plugin keep fields it
    /// computes, and states it moves through its own operations, from being written by clients.
    /// </summary>
    bool IsDirect { get; }

    /// <summary>The value the record will have: the one being written, else the current one. System fields (ownerId, createdAt, ...) read too.</summary>
    object? GetValue(string field);

    /// <summary>The value before this write (null on create).</summary>
    object? GetPreviousValue(string field);

    /// <summary>True when this write gives the field a new value.</summary>
    bool IsChanging(string field);

    /// <summary>The fields this write sets.</summary>
    IReadOnlyCollection<string> ChangingFields { get; }

    /// <summary>Sets a field; the value is checked like client input, and a bad one refuses the write.</summary>
    void SetValue(string field, object? value);

    /// <summary>
    /// Refuses the write with the code REJECTED; the hook goes on and may add more. Nothing is
    /// written; the caller sees the message (on the field, if given). To refuse with a code of your
    /// own, throw <see cref="Operations.OperationException"/> instead.
    /// </summary>
    void Reject(string message, string? field = null);
}
