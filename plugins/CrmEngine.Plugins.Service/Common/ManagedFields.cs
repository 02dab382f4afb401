using CrmEngine.Sdk.Hooks;

namespace CrmEngine.Plugins.Service.Common;

/// <summary>
/// Fields only the module's operations write (a case's status and clock, an article's workflow): an
/// API client's write of one is refused. A create may carry a field's declared default, which is what
/// the engine fills in anyway.
/// </summary>
internal sealed class ManagedFields(IReadOnlyList<string> fields, IReadOnlyDictionary<string, object> defaults)
{
    /// <summary>The first managed field a direct write of <paramref name="record"/> changes; null when it changes none (or the write isn't direct).</summary>
    public string? WrittenDirectly(IRecordContext record)
    {
        if (!record.IsDirect)
        {
            return null;
        }

        var create = record.Operation == RecordOperations.Create;
        return fields.FirstOrDefault(f => record.IsChanging(f) && !(create && IsDefault(f, record.GetValue(f))));
    }

    private bool IsDefault(string field, object? value) => value is null || (defaults.TryGetValue(field, out var initial) && initial.Equals(value));
}
