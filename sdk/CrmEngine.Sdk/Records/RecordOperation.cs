namespace CrmEngine.Sdk.Records;

/// <summary>The kinds of write, as flags so a hook can handle several.</summary>
[Flags]
public enum RecordOperations
{
    /// <summary>No operation.</summary>
    None = 0,

    /// <summary>A new record.</summary>
    Create = 1,

    /// <summary>A change to fields of a record.</summary>
    Update = 2,

    /// <summary>A (soft) delete.</summary>
    Delete = 4,

    /// <summary>A restore of a deleted record.</summary>
    Restore = 8,

    /// <summary>Every kind of write.</summary>
    All = Create | Update | Delete | Restore,
}
