namespace CrmEngine.Engine.Errors;

/// <summary>
/// A typed, client-facing error: a stable machine code, a human message and, when the error is
/// about one input field, that field's API name. Every refusal the engine makes is one of these.
/// </summary>
public sealed record CrmError(string Code, string Message, string? Field = null);
