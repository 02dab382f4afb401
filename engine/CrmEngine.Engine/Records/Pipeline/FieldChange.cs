namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>One field's old and new API value in a write, as kept in the audit trail and outbox.</summary>
public sealed record FieldChange(string Field, object? Old, object? New);
