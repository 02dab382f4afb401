namespace CrmEngine.Engine.Fields;

/// <summary>The API value of a money field: an exact amount and its ISO 4217 currency code.</summary>
public sealed record Money(decimal Amount, string Currency);
