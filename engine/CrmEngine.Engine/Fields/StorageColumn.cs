namespace CrmEngine.Engine.Fields;

/// <summary>
/// One typed column a field is stored in. The EF property of a record and its column share the
/// name, so a record's storage dictionary is keyed by column names.
/// </summary>
public sealed record StorageColumn(string Name, Type ClrType);
