using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Types;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Identity;

/// <summary>Graph types for users, teams, roles, API keys and the security log.</summary>
internal sealed class IdentityTypes
{
    public const string TeamType = "team";

    public IdentityTypes(SharedTypes types, IdentityDirectory directory)
    {
        var text = SharedTypes.NonNull(types.String);
        var texts = SharedTypes.NonNull(SharedTypes.ListOf(types.String));
        Scope.Name = "AccessScope";
        Scope.Description = "How far a permission reaches: NONE, OWN records, ORGANIZATION records (external users: records pointing to their organization), TEAM records, ALL records.";

        Add(User, "id", SharedTypes.NonNull(types.Id), u => GlobalId.Encode(GlobalId.UserType, U(u).Id));
        Add(User, "email", text, u => U(u).Email);
        Add(User, "displayName", text, u => U(u).DisplayName);
        Add(User, "active", SharedTypes.NonNull(types.Boolean), u => U(u).Active);
        Add(User, "externalId", types.String, u => U(u).ExternalId, "The user's subject at the identity provider (the JWT 'sub').");
        User.AddField(new FieldType
        {
            Name = "roles",
            ResolvedType = texts,
            Resolver = Resolve.Async(async (c, crm) => (await directory.GetAsync(crm.Session.Store, c.CancellationToken)).RolesOfUser.GetValueOrDefault(U(c.Source!).Id) ?? []),
        });
        User.AddField(new FieldType
        {
            Name = "teams",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(Team)),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var tenant = await directory.GetAsync(crm.Session.Store, c.CancellationToken);
                return tenant.TeamsOf(U(c.Source!).Id).Select(id => tenant.Teams[id]).ToList();
            }),
        });

        Add(Team, "id", SharedTypes.NonNull(types.Id), t => GlobalId.Encode(TeamType, ((TeamRow)t).Id));
        Add(Team, "name", text, t => ((TeamRow)t).Name);
        Team.AddField(new FieldType
        {
            Name = "manager",
            ResolvedType = User,
            Resolver = Resolve.Async(async (c, crm) => ((TeamRow)c.Source!).ManagerId is { } id ? (await directory.GetAsync(crm.Session.Store, c.CancellationToken)).Users.GetValueOrDefault(id) : null),
        });
        Team.AddField(new FieldType
        {
            Name = "members",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(User)),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var tenant = await directory.GetAsync(crm.Session.Store, c.CancellationToken);
                return tenant.MembersOf(((TeamRow)c.Source!).Id).Select(id => tenant.Users[id]).ToList();
            }),
        });

        Add(EntityGrant, "entity", text, g => ((KeyValuePair<string, EntityGrant>)g).Key, "\"*\" covers every entity the role doesn't name.");
        foreach (var action in Enum.GetValues<RecordAction>())
        {
            Add(EntityGrant, action.ToString().ToLowerInvariant(), SharedTypes.NonNull(Scope), g => ((KeyValuePair<string, EntityGrant>)g).Value.For(action));
        }

        Add(FieldGrant, "entity", text, f => ((KeyValuePair<string, FieldGrant>)f).Key.Split('.')[0]);
        Add(FieldGrant, "field", text, f => ((KeyValuePair<string, FieldGrant>)f).Key.Split('.')[1]);
        Add(FieldGrant, "read", SharedTypes.NonNull(types.Boolean), f => ((KeyValuePair<string, FieldGrant>)f).Value.Read);
        Add(FieldGrant, "write", SharedTypes.NonNull(types.Boolean), f => ((KeyValuePair<string, FieldGrant>)f).Value.Write);

        Add(Role, "name", text, r => ((RoleDefinition)r).Name);
        Add(Role, "description", types.String, r => ((RoleDefinition)r).Description);
        Add(Role, "admin", SharedTypes.NonNull(types.Boolean), r => ((RoleDefinition)r).Admin, "Admin rights: metadata, rules, plugins, users, keys.");
        Add(Role, "builtIn", SharedTypes.NonNull(types.Boolean), r => ((RoleDefinition)r).BuiltIn);
        Add(Role, "entities", SharedTypes.NonNull(SharedTypes.ListOf(EntityGrant)), r => ((RoleDefinition)r).Entities.ToList());
        Add(Role, "fields", SharedTypes.NonNull(SharedTypes.ListOf(FieldGrant)), r => ((RoleDefinition)r).Fields.ToList());

        Add(ApiKey, "id", text, k => ((ApiKeyRow)k).Id);
        Add(ApiKey, "name", text, k => ((ApiKeyRow)k).Name);
        Add(ApiKey, "roles", texts, k => ((ApiKeyRow)k).Roles.Split(',', StringSplitOptions.RemoveEmptyEntries));
        Add(ApiKey, "userId", SharedTypes.NonNull(types.Id), k => GlobalId.Encode(GlobalId.UserType, ((ApiKeyRow)k).UserId), "The user the key acts as (its records' owner and author).");
        Add(ApiKey, "createdAt", SharedTypes.NonNull(types.DateTime), k => Utc(((ApiKeyRow)k).CreatedAt));
        Add(ApiKey, "expiresAt", types.DateTime, k => Utc(((ApiKeyRow)k).ExpiresAt));
        Add(ApiKey, "revokedAt", types.DateTime, k => Utc(((ApiKeyRow)k).RevokedAt));

        Add(SecurityEvent, "id", SharedTypes.NonNull(types.Id), e => ((SecurityLogRow)e).Id.ToString());
        Add(SecurityEvent, "at", SharedTypes.NonNull(types.DateTime), e => Utc(((SecurityLogRow)e).At));
        Add(SecurityEvent, "actor", types.Id, e => ((SecurityLogRow)e).Actor is { } a ? GlobalId.Encode(GlobalId.UserType, a) : null);
        Add(SecurityEvent, "keyId", types.String, e => ((SecurityLogRow)e).KeyId);
        Add(SecurityEvent, "event", text, e => ((SecurityLogRow)e).Event);
        Add(SecurityEvent, "detail", text, e => ((SecurityLogRow)e).Detail);

        EntityGrantInput = SharedTypes.Input("EntityGrantInput", "What a role grants on an entity (\"*\": every other entity).",
            ("entity", text), ("create", Scope), ("read", Scope), ("update", Scope), ("delete", Scope), ("assign", Scope));
        FieldGrantInput = SharedTypes.Input("FieldGrantInput", "Restricts one field for holders of the role.",
            ("entity", text), ("field", text), ("read", SharedTypes.NonNull(types.Boolean)), ("write", SharedTypes.NonNull(types.Boolean)));
        RoleInput = SharedTypes.Input("RoleInput", "A role: admin rights, per-entity grants with scopes, field restrictions.",
            ("name", text), ("description", types.String), ("admin", types.Boolean),
            ("entities", SharedTypes.ListOf(EntityGrantInput)), ("fields", SharedTypes.ListOf(FieldGrantInput)));
    }

    public EnumerationGraphType<AccessScope> Scope { get; } = new();

    public ObjectGraphType User { get; } = new() { Name = "User", Description = "A person who works in this tenant." };

    public ObjectGraphType Team { get; } = new() { Name = "Team", Description = "A group of users, optionally with a manager." };

    public ObjectGraphType EntityGrant { get; } = new() { Name = "EntityGrant" };

    public ObjectGraphType FieldGrant { get; } = new() { Name = "FieldGrant" };

    public ObjectGraphType Role { get; } = new() { Name = "Role", Description = "What holders may do." };

    public ObjectGraphType ApiKey { get; } = new() { Name = "ApiKey", Description = "A key for an integration. The secret is shown only when created." };

    public ObjectGraphType SecurityEvent { get; } = new() { Name = "SecurityEvent" };

    public InputObjectGraphType EntityGrantInput { get; }

    public InputObjectGraphType FieldGrantInput { get; }

    public InputObjectGraphType RoleInput { get; }

    private static UserRow U(object source) => (UserRow)source;

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static void Add(ObjectGraphType type, string name, IGraphType graphType, Func<object, object?> value, string? description = null) =>
        type.AddField(new FieldType { Name = name, ResolvedType = graphType, Description = description, Resolver = Resolve.Sync(c => value(c.Source!)) });
}
