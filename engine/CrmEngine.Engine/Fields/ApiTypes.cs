namespace CrmEngine.Engine.Fields;

/// <summary>
/// How the API presents a field kind's values, in the engine's terms. The GraphQL layer maps each
/// member to its scalar once, so a new field kind that reuses these needs no change there.
/// </summary>
public enum ApiValueType
{
    String,
    Long,
    Decimal,

    /// <summary>An amount with its currency (written as a money input).</summary>
    Money,
    Boolean,
    Date,
    DateTime,

    /// <summary>A record's id (a global id in the API, a UUID in the engine).</summary>
    Id,
    StringList,
}

/// <summary>
/// The API's filter inputs, one per operand and operator set (<see cref="Records.Querying.FilterOperators.Of"/>);
/// kinds share them (every text kind filters through <see cref="String"/>).
/// </summary>
public enum ApiFilterType
{
    String,
    Picklist,
    Long,
    Decimal,
    Money,
    Boolean,
    Date,
    DateTime,
    Id,
    MultiPicklist,
}
