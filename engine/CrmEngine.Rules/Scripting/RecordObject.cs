using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Pipeline;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// The <c>record</c> a script reads and writes: one property per active field plus the system
/// fields. Writable fields and <c>ownerId</c> can be assigned; the rest are read-only, and no new
/// property can be added, so a misspelt field name fails loudly in strict mode instead of being lost.
/// </summary>
internal sealed class RecordObject
{
    private readonly EntityDefinition _entity;
    private readonly RecordSnapshot _snapshot;
    private readonly Dictionary<string, JsValue> _initial;

    private RecordObject(EntityDefinition entity, RecordSnapshot snapshot, ObjectInstance value, Dictionary<string, JsValue> initial)
    {
        _entity = entity;
        _snapshot = snapshot;
        Value = value;
        _initial = initial;
    }

    public ObjectInstance Value { get; }

    public static RecordObject Create(JsEngine engine, EntityDefinition entity, RecordSnapshot snapshot)
    {
        var obj = new JsObject(engine);
        var initial = new Dictionary<string, JsValue>(StringComparer.Ordinal);
        foreach (var name in SystemFields.All)
        {
            var value = JsConvert.ToJs(engine, snapshot.Values.GetValueOrDefault(name));
            initial[name] = value;
            obj.FastSetProperty(name, new PropertyDescriptor(value, name == SystemFields.OwnerId, enumerable: true, configurable: false));
        }

        foreach (var field in entity.ActiveFields)
        {
            var value = JsConvert.ToJs(engine, snapshot.Values.GetValueOrDefault(field.Name));
            initial[field.Name] = value;
            obj.FastSetProperty(field.Name, new PropertyDescriptor(value, field.Of().IsWritable, enumerable: true, configurable: false));
        }

        obj.PreventExtensions();
        return new RecordObject(entity, snapshot, obj, initial);
    }

    /// <summary>A read-only copy for <c>previous</c> (and for records crm.find returns, which are plain and mutable instead).</summary>
    public static JsValue Frozen(JsEngine engine, EntityDefinition entity, IReadOnlyDictionary<string, object?>? values)
    {
        if (values is null)
        {
            return JsValue.Null;
        }

        var obj = new JsObject(engine);
        foreach (var name in SystemFields.All.Concat(entity.ActiveFields.Select(f => f.Name)))
        {
            var value = JsConvert.ToJs(engine, values.GetValueOrDefault(name));
            if (value is ObjectInstance nested)
            {
                nested.PreventExtensions();
                foreach (var key in nested.GetOwnPropertyKeys())
                {
                    var descriptor = nested.GetOwnProperty(key);
                    nested.DefineOwnProperty(key, new PropertyDescriptor(descriptor.Value, writable: false, enumerable: true, configurable: false));
                }
            }

            obj.FastSetProperty(name, new PropertyDescriptor(value, writable: false, enumerable: true, configurable: false));
        }

        obj.PreventExtensions();
        return obj;
    }

    /// <summary>A plain record object for results of crm.find, crm.get, crm.create, crm.update.</summary>
    public static JsValue Plain(JsEngine engine, IReadOnlyDictionary<string, object?> values)
    {
        var obj = new JsObject(engine);
        foreach (var (name, value) in values)
        {
            obj.Set(name, JsConvert.ToJs(engine, value));
        }

        return obj;
    }

    /// <summary>The field's value as the script has it now, in CLR form (not yet normalized).</summary>
    public object? Current(JsEngine engine, string name) => JsConvert.ToClr(engine, Value.Get(name));

    /// <summary>
    /// True when the script's value for the field differs from <paramref name="baseline"/>. The
    /// baseline makes the same trip into JavaScript and back first, so what JavaScript can't hold
    /// exactly (microseconds of a date-time, the 16th digit of a decimal) never counts as a change.
    /// </summary>
    public bool Differs(JsEngine engine, string name, object? baseline)
    {
        var current = Current(engine, name);
        if (name == SystemFields.OwnerId)
        {
            return !Equals(ReadGuid(current), baseline);
        }

        if (_entity.FindField(name) is not { } field)
        {
            return false;
        }

        var roundTripped = JsConvert.ToClr(engine, JsConvert.ToJs(engine, baseline));
        if (field.Of().IsEmpty(current) || field.Of().IsEmpty(roundTripped))
        {
            return !(field.Of().IsEmpty(current) && field.Of().IsEmpty(roundTripped));
        }

        // Normalized, ignoring constraints, so "5" vs 5 or a rebuilt money object with the same amount is no change.
        var relaxed = RecordSnapshot.Relaxed(field);
        var now = field.Of().Normalize(relaxed, current!);
        var then = field.Of().Normalize(relaxed, roundTripped!);
        return !now.IsOk || !then.IsOk || !field.Of().AreEqual(now.Value, then.Value);
    }

    /// <summary>The fields the script changed, with their old API value and new CLR value.</summary>
    public IReadOnlyList<FieldChange> Changes(JsEngine engine)
    {
        var changes = new List<FieldChange>();
        foreach (var field in _entity.ActiveFields.Where(f => f.Of().IsWritable))
        {
            var old = _snapshot.Values.GetValueOrDefault(field.Name);
            if (Untouched(field.Name))
            {
                continue;
            }

            if (Differs(engine, field.Name, old))
            {
                changes.Add(new FieldChange(field.Name, old, Current(engine, field.Name)));
            }
        }

        var owner = _snapshot.Values.GetValueOrDefault(SystemFields.OwnerId);
        if (Differs(engine, SystemFields.OwnerId, owner))
        {
            changes.Add(new FieldChange(SystemFields.OwnerId, owner, Current(engine, SystemFields.OwnerId)));
        }

        return changes;
    }

    /// <summary>
    /// The property still holds the very primitive it was given: nothing assigned it, so nothing
    /// changed (objects such as money or dates can change in place and are compared by value).
    /// </summary>
    private bool Untouched(string name) =>
        _initial.TryGetValue(name, out var initial) && initial is not ObjectInstance && ReferenceEquals(Value.Get(name), initial);

    public static Guid? ReadGuid(object? value) => value switch
    {
        Guid g => g,
        string s when Guid.TryParse(s, out var parsed) => parsed,
        _ => null,
    };
}
