using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>
/// A write on its way through the pipeline: what is being written, what was there before, and the
/// errors collected so far. Hooks read it, may change values (normalized and checked like any
/// input) and may reject it.
/// </summary>
public sealed class RecordChange
{
    private readonly Dictionary<string, object?> _values;

    internal RecordChange(CrmSession session, EntityDefinition entity, RecordOperation operation, Guid recordId, RecordData? previous, Dictionary<string, object?> values)
    {
        Session = session;
        Entity = entity;
        Operation = operation;
        RecordId = recordId;
        Previous = previous;
        _values = values;
        Input = new Dictionary<string, object?>(values, StringComparer.Ordinal);
    }

    /// <summary>The values as the caller sent them, before any hook changed them: what the caller's permissions judge.</summary>
    internal IReadOnlyDictionary<string, object?> Input { get; }

    public CrmSession Session { get; }

    public EntityDefinition Entity { get; }

    public RecordOperation Operation { get; }

    public Guid RecordId { get; }

    /// <summary>The record before this write; null on create.</summary>
    public RecordData? Previous { get; }

    /// <summary>The fields this write sets, by API name, as normalized API values.</summary>
    public IReadOnlyDictionary<string, object?> Values => _values;

    public List<CrmError> Errors { get; } = [];

    /// <summary>The duplicate rules this write matched (made only when one does: most writes match none).</summary>
    public IReadOnlyList<DuplicateMatch> Duplicates => _duplicates ?? (IReadOnlyList<DuplicateMatch>)[];

    private List<DuplicateMatch>? _duplicates;

    /// <summary>Reports a duplicate rule the write matched; a blocking one also refuses it (the caller adds the error).</summary>
    public void AddDuplicate(DuplicateMatch match) => (_duplicates ??= []).Add(match);

    public bool Rejected => Errors.Count > 0;

    /// <summary>The value the record will have: the one being written, else the previous one.</summary>
    public object? Get(string field) => _values.TryGetValue(field, out var value) ? value : Previous?.Get(field);

    /// <summary>True when this write gives the field a value different from the previous one.</summary>
    public bool Changes(string field)
    {
        if (!_values.TryGetValue(field, out var value))
        {
            return false;
        }

        var definition = Entity.FindAnyField(field);
        return Previous is null || definition is null || !definition.Of().AreEqual(Previous.Get(field), value);
    }

    /// <summary>Sets a field (or ownerId), with the same checks as client input; a bad value becomes an error.</summary>
    public void Set(string field, object? value)
    {
        if (field == SystemFields.OwnerId)
        {
            // Hooks and rules that assign records (round-robin, territories) reassign the owner.
            if (LooseConvert.TryGuid(value, out var owner) && owner != Guid.Empty)
            {
                _values[field] = owner;
            }
            else
            {
                Errors.Add(new CrmError(ErrorCodes.InvalidValue, "ownerId must be the id of a user.", field));
            }

            return;
        }

        var definition = Entity.FindField(field);
        if (definition is null)
        {
            Errors.Add(new CrmError(ErrorCodes.UnknownField, $"Entity '{Entity.Name}' has no field '{field}'.", field));
            return;
        }

        if (value is null)
        {
            _values[field] = null;
            return;
        }

        var normalized = definition.Of().Normalize(definition, value);
        if (normalized.IsOk)
        {
            _values[field] = normalized.Value;
        }
        else
        {
            Errors.Add(normalized.Error!);
        }
    }

    /// <summary>Refuses the write with a message, optionally about one field.</summary>
    public void Reject(string message, string? field = null, string code = ErrorCodes.Rejected) =>
        Errors.Add(new CrmError(code, message, field));

    internal void SetNormalized(string field, object? value) => _values[field] = value;
}
