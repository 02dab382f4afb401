using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;

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

    /// <summary>The value the record will have: the one being written, else the current one.</summary>
    object? GetValue(string field);

    /// <summary>The value before this write (null on create).</summary>
    object? GetPreviousValue(string field);

    /// <summary>True when this write gives the field a new value.</summary>
    bool IsChanging(string field);

    /// <summary>The fields this write sets.</summary>
    IReadOnlyCollection<string> ChangingFields { get; }

    /// <summary>Sets a field; the value is checked like client input, and a bad one refuses the write.</summary>
    void SetValue(string field, object? value);

    /// <summary>Refuses the write. Nothing is written; the caller sees the message (on the field, if given).</summary>
    void Reject(string message, string? field = null);
}
