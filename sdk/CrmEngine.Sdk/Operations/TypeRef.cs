namespace CrmEngine.Sdk.Operations;

/// <summary>
/// A GraphQL type described without GraphQL types: scalars, a tenant entity's record type, lists,
/// non-null, and plugin-defined object and input object types.
/// </summary>
public abstract record TypeRef
{
    /// <summary>String.</summary>
    public static TypeRef String { get; } = new Scalar("String");

    /// <summary>32-bit Int.</summary>
    public static TypeRef Int { get; } = new Scalar("Int");

    /// <summary>64-bit Long.</summary>
    public static TypeRef Long { get; } = new Scalar("Long");

    /// <summary>Exact Decimal.</summary>
    public static TypeRef Decimal { get; } = new Scalar("Decimal");

    /// <summary>Boolean.</summary>
    public static TypeRef Boolean { get; } = new Scalar("Boolean");

    /// <summary>A calendar date.</summary>
    public static TypeRef Date { get; } = new Scalar("Date");

    /// <summary>A UTC instant.</summary>
    public static TypeRef DateTime { get; } = new Scalar("DateTime");

    /// <summary>An id; for records, their global id.</summary>
    public static TypeRef Id { get; } = new Scalar("ID");

    /// <summary>Any JSON value.</summary>
    public static TypeRef Json { get; } = new Scalar("JSON");

    /// <summary>A user's id, given to clients as the same global id records' ownerId carries (return a Guid).</summary>
    public static TypeRef UserId { get; } = new UserIdType();

    /// <summary>The engine's Money type: an exact amount and its currency (return a <see cref="Records.Money"/>).</summary>
    public static TypeRef Money { get; } = new Scalar("Money");

    /// <summary>The engine's MoneyInput type (arrives as a dictionary with amount and currency).</summary>
    public static TypeRef MoneyInput { get; } = new Scalar("MoneyInput");

    /// <summary>An enumeration with the given values (UPPER_SNAKE_CASE); values travel as strings both ways.</summary>
    public static TypeRef Enum(string name, params string[] values) => new EnumType(name, values);

    /// <summary>The record type of a tenant entity (such as <c>Lead</c> for <c>lead</c>).</summary>
    public static TypeRef Entity(string entity) => new EntityType(entity);

    /// <summary>A list of <paramref name="item"/> (items non-null).</summary>
    public static TypeRef ListOf(TypeRef item) => new List(item);

    /// <summary>An output object type with named fields.</summary>
    public static TypeRef Object(string name, params FieldRef[] fields) => new ObjectType(name, fields);

    /// <summary>An input object type with named fields.</summary>
    public static TypeRef Input(string name, params FieldRef[] fields) => new InputType(name, fields);

    /// <summary>This type, never null.</summary>
    public TypeRef NonNull() => this is NonNullType ? this : new NonNullType(this);

    /// <summary>A built-in scalar.</summary>
    /// <param name="Name">Its GraphQL name.</param>
    public sealed record Scalar(string Name) : TypeRef;

    /// <summary>A user id, as a global id.</summary>
    public sealed record UserIdType : TypeRef;

    /// <summary>An enumeration.</summary>
    /// <param name="Name">Its GraphQL type name.</param>
    /// <param name="Values">Its values.</param>
    public sealed record EnumType(string Name, IReadOnlyList<string> Values) : TypeRef;

    /// <summary>A tenant entity's record type.</summary>
    /// <param name="Name">The entity's API name.</param>
    public sealed record EntityType(string Name) : TypeRef;

    /// <summary>A list type.</summary>
    /// <param name="Item">The item type.</param>
    public sealed record List(TypeRef Item) : TypeRef;

    /// <summary>A non-null type.</summary>
    /// <param name="Inner">The type that can't be null.</param>
    public sealed record NonNullType(TypeRef Inner) : TypeRef;

    /// <summary>An output object.</summary>
    /// <param name="Name">Its GraphQL type name.</param>
    /// <param name="Fields">Its fields.</param>
    public sealed record ObjectType(string Name, IReadOnlyList<FieldRef> Fields) : TypeRef;

    /// <summary>An input object.</summary>
    /// <param name="Name">Its GraphQL type name.</param>
    /// <param name="Fields">Its fields.</param>
    public sealed record InputType(string Name, IReadOnlyList<FieldRef> Fields) : TypeRef;
}

/// <summary>A field of a plugin-defined object or input type.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Description">Shown in the schema.</param>
public sealed record FieldRef(string Name, TypeRef Type, string? Description = null);
