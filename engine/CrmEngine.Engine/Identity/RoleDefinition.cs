using System.Text.Json.Serialization;

namespace CrmEngine.Engine.Identity;

/// <summary>What a role grants on one entity, per action.</summary>
public sealed record EntityGrant
{
    [JsonConverter(typeof(JsonStringEnumConverter<AccessScope>))]
    public AccessScope Create { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<AccessScope>))]
    public AccessScope Read { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<AccessScope>))]
    public AccessScope Update { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<AccessScope>))]
    public AccessScope Delete { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<AccessScope>))]
    public AccessScope Assign { get; init; }

    public static EntityGrant Everything { get; } = new() { Create = AccessScope.All, Read = AccessScope.All, Update = AccessScope.All, Delete = AccessScope.All, Assign = AccessScope.All };

    public AccessScope For(RecordAction action) => action switch
    {
        RecordAction.Create => Create,
        RecordAction.Read => Read,
        RecordAction.Update => Update,
        RecordAction.Delete => Delete,
        _ => Assign,
    };
}

/// <summary>A restriction on one field: whether holders of the role may read and write it.</summary>
public sealed record FieldGrant(bool Read, bool Write);

/// <summary>
/// A tenant role: admin rights (metadata, rules, plugins, users, keys) and per-entity record
/// permissions with scopes, plus field restrictions. Entity "*" is the default for entities the role
/// doesn't name; field keys are "entity.field".
/// </summary>
public sealed record RoleDefinition
{
    public const string AnyEntity = "*";

    public required string Name { get; init; }

    public string? Description { get; init; }

    public bool Admin { get; init; }

    public IReadOnlyDictionary<string, EntityGrant> Entities { get; init; } = new Dictionary<string, EntityGrant>();

    public IReadOnlyDictionary<string, FieldGrant> Fields { get; init; } = new Dictionary<string, FieldGrant>();

    /// <summary>Roles the engine creates in every tenant; they can be assigned but not deleted.</summary>
    public bool BuiltIn { get; init; }

    public EntityGrant? For(string entity) => Entities.GetValueOrDefault(entity) ?? Entities.GetValueOrDefault(AnyEntity);

    public static IReadOnlyList<RoleDefinition> BuiltIns { get; } =
    [
        new() { Name = CrmPrincipal.AdminRole, Description = "Everything, including metadata, rules, plugins, users and keys.", Admin = true, BuiltIn = true, Entities = new Dictionary<string, EntityGrant> { [AnyEntity] = EntityGrant.Everything } },
        new()
        {
            Name = "user",
            Description = "Reads everything; creates, changes and deletes their own records.",
            BuiltIn = true,
            Entities = new Dictionary<string, EntityGrant> { [AnyEntity] = new() { Create = AccessScope.Own, Read = AccessScope.All, Update = AccessScope.Own, Delete = AccessScope.Own } },
        },
        new()
        {
            Name = "reader",
            Description = "Reads everything, changes nothing.",
            BuiltIn = true,
            Entities = new Dictionary<string, EntityGrant> { [AnyEntity] = new() { Read = AccessScope.All } },
        },
    ];
}
