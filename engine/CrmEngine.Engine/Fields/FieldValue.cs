using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Fields;

/// <summary>The outcome of normalizing one input value: the value to store, or why it can't be.</summary>
public readonly record struct FieldValue(object? Value, CrmError? Error)
{
    public static FieldValue Ok(object? value) => new(value, null);

    public static FieldValue Fail(string code, string message, string field) => new(null, new CrmError(code, message, field));

    public bool IsOk => Error is null;
}
