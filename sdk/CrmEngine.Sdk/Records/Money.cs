namespace CrmEngine.Sdk.Records;

/// <summary>The value of a money field: an exact amount and its ISO 4217 currency code.</summary>
/// <param name="Amount">The amount, exact to the field's scale.</param>
/// <param name="Currency">The ISO 4217 currency code, such as CNY or USD.</param>
public sealed record Money(decimal Amount, string Currency);
