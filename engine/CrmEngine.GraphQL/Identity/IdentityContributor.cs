using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Records;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Identity;

/// <summary>
/// <c>me</c> for everyone; for admins, users, teams, roles, API keys, the browser origins allowed to
/// call the API (CORS) and the security log, and the mutations that manage them. Every change is
/// written to the security log.
/// </summary>
public sealed class IdentityContributor(IdentityDirectory directory, TenantCatalog catalog, TenantSettings settings, TimeProvider time) : ISchemaContributor
{
    public int Order => 32;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var identity = new IdentityTypes(types, directory);
        AddMe(context, identity);
        AddQueries(context, identity);
        AddMutations(context, identity);
    }

    private void AddMe(SchemaBuildContext context, IdentityTypes identity)
    {
        var types = context.Types;
        var me = new ObjectGraphType { Name = "Me", Description = "Who the caller is, as the engine sees them." };
        me.AddField(new FieldType { Name = "userId", ResolvedType = SharedTypes.NonNull(types.Id), Resolver = Resolve.Sync(c => GlobalId.Encode(GlobalId.UserType, c.Crm().Session.Principal.UserId)) });
        me.AddField(new FieldType { Name = "tenant", ResolvedType = SharedTypes.NonNull(types.String), Resolver = Resolve.Sync(c => c.Crm().Session.TenantId) });
        me.AddField(new FieldType { Name = "keyId", ResolvedType = types.String, Resolver = Resolve.Sync(c => c.Crm().Session.Principal.KeyId) });
        me.AddField(new FieldType
        {
            Name = "roles",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(types.String)),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var tenant = await directory.GetAsync(crm.Session.Store, c.CancellationToken);
                return crm.Session.Principal.Roles.Concat(tenant.RolesOfUser.GetValueOrDefault(crm.Session.Principal.UserId) ?? []).Distinct().ToList();
            }),
        });
        me.AddField(new FieldType { Name = "isAdmin", ResolvedType = SharedTypes.NonNull(types.Boolean), Resolver = Resolve.Async(async (c, crm) => (await Permissions(crm, c)).IsAdmin) });
        me.AddField(new FieldType
        {
            Name = "user",
            ResolvedType = identity.User,
            Resolver = Resolve.Async(async (c, crm) => (await directory.GetAsync(crm.Session.Store, c.CancellationToken)).Users.GetValueOrDefault(crm.Session.Principal.UserId)),
        });
        context.Query.AddField(new FieldType { Name = "me", ResolvedType = SharedTypes.NonNull(me), Resolver = Resolve.Sync(c => c.Crm().Session) });
    }

    private void AddQueries(SchemaBuildContext context, IdentityTypes identity)
    {
        var types = context.Types;
        AdminQuery(context, "users", "The tenant's users.", SharedTypes.NonNull(SharedTypes.ListOf(identity.User)), null,
            async (c, crm) => (await directory.GetAsync(crm.Session.Store, c.CancellationToken)).Users.Values.OrderBy(u => u.Email).ToList());
        AdminQuery(context, "teams", "The tenant's teams.", SharedTypes.NonNull(SharedTypes.ListOf(identity.Team)), null,
            async (c, crm) => (await directory.GetAsync(crm.Session.Store, c.CancellationToken)).Teams.Values.OrderBy(t => t.Name).ToList());
        AdminQuery(context, "roles", "Built-in and tenant roles.", SharedTypes.NonNull(SharedTypes.ListOf(identity.Role)), null,
            async (c, crm) => RoleDefinition.BuiltIns.Concat((await directory.GetAsync(crm.Session.Store, c.CancellationToken)).Roles.Values.OrderBy(r => r.Name)).ToList());
        AdminQuery(context, "apiKeys", "The tenant's API keys (never their secrets).", SharedTypes.NonNull(SharedTypes.ListOf(identity.ApiKey)), null,
            async (c, crm) => await catalog.ListApiKeysAsync(crm.Session.TenantId, c.CancellationToken));
        AdminQuery(context, "securityLog", "Security events, newest first: keys issued and revoked, permission changes, refused access.",
            SharedTypes.NonNull(SharedTypes.ListOf(identity.SecurityEvent)),
            new QueryArguments(new QueryArgument(types.Int) { Name = "first", DefaultValue = 50 }, new QueryArgument(types.String) { Name = "event" }),
            async (c, crm) => await directory.SecurityLogAsync(crm.Session.Store, c.GetArgument<int>("first"), c.GetArgument<string?>("event"), c.CancellationToken));
        AdminQuery(context, "allowedOrigins", "The browser origins (scheme://host[:port]) whose pages may call this API with the tenant's keys, besides those the server allows for every tenant.",
            Origins(types), null, async (c, crm) => await settings.AllowedOriginsAsync(crm.Session.Store, c.CancellationToken));
    }

    private static NonNullGraphType Origins(SharedTypes types) => SharedTypes.NonNull(SharedTypes.ListOf(types.String));

    private void AddMutations(SchemaBuildContext context, IdentityTypes identity)
    {
        var types = context.Types;
        var text = SharedTypes.NonNull(types.String);
        var roles = SharedTypes.ListOf(types.String);
        var userPayload = Payload("UserPayload", "user", identity.User, types);
        AdminMutation(context, "createUser", "Adds a user.", userPayload,
            new QueryArguments(Arg("email", text), Arg("displayName", text), Arg("externalId", types.String), Arg("roles", roles)),
            async (c, crm) => await directory.CreateUserAsync(crm.Session.Store, crm.Session.Principal.UserId, c.GetArgument<string>("email"), c.GetArgument<string>("displayName"),
                c.GetArgument<string?>("externalId"), c.GetArgument<List<string>?>("roles") ?? [], c.CancellationToken));
        AdminMutation(context, "updateUser", "Changes a user; an inactive user can't sign in.", userPayload,
            new QueryArguments(Arg("id", SharedTypes.NonNull(types.Id)), Arg("displayName", types.String), Arg("active", types.Boolean), Arg("externalId", types.String)),
            async (c, crm) => await directory.UpdateUserAsync(crm.Session.Store, crm.Session.Principal.UserId, UserId(c, "id"), c.GetArgument<string?>("displayName"),
                c.GetArgument<bool?>("active"), c.HasArgument("externalId") ? new Patch<string?>(true, c.GetArgument<string?>("externalId")) : default, c.CancellationToken));
        AdminMutation(context, "setUserRoles", "Replaces a user's roles.", userPayload,
            new QueryArguments(Arg("id", SharedTypes.NonNull(types.Id)), Arg("roles", SharedTypes.NonNull(roles))),
            async (c, crm) => await directory.SetUserRolesAsync(crm.Session.Store, crm.Session.Principal.UserId, UserId(c, "id"), c.GetArgument<List<string>>("roles"), c.CancellationToken));
        AdminMutation(context, "saveTeam", "Creates a team (no id) or changes one; members, when given, replace the current ones.", Payload("TeamPayload", "team", identity.Team, types),
            new QueryArguments(Arg("id", types.Id), Arg("name", text), Arg("managerId", types.Id), Arg("memberIds", SharedTypes.ListOf(types.Id))),
            async (c, crm) => await directory.SaveTeamAsync(crm.Session.Store, crm.Session.Principal.UserId,
                c.GetArgument<string?>("id") is { } id ? GraphKinds.ReadId(id, IdentityTypes.TeamType, "id") : null,
                c.GetArgument<string>("name"),
                c.GetArgument<string?>("managerId") is { } manager ? GraphKinds.ReadId(manager, GlobalId.UserType, "managerId") : null,
                c.GetArgument<List<string>?>("memberIds")?.Select(m => GraphKinds.ReadId(m, GlobalId.UserType, "memberIds")).ToList(),
                c.CancellationToken));
        AdminMutation(context, "saveRole", "Creates or replaces a tenant role (built-in roles are fixed).", Payload("RolePayload", "role", identity.Role, types),
            new QueryArguments(Arg("input", SharedTypes.NonNull(identity.RoleInput))),
            async (c, crm) => await directory.SaveRoleAsync(crm.Session.Store, crm.Session.Principal.UserId, RoleInput.Read(c.GetArgument<Dictionary<string, object?>>("input")), c.CancellationToken));
        AdminMutation(context, "deleteRole", "Deletes a tenant role and takes it from its holders.", Payload("DeleteRolePayload", "deleted", types.Boolean, types),
            new QueryArguments(Arg("name", text)),
            async (c, crm) => await directory.DeleteRoleAsync(crm.Session.Store, crm.Session.Principal.UserId, c.GetArgument<string>("name"), c.CancellationToken));

        var keyPayload = Payload("ApiKeyPayload", "apiKey", identity.ApiKey, types);
        keyPayload.AddField(new FieldType { Name = "key", Description = "The key itself, shown this once; only its hash is kept.", ResolvedType = types.String, Resolver = Resolve.Sync(c => (((Outcome)c.Source!).Value as IssuedKey)?.Key) });
        AdminMutation(context, "createApiKey", "Issues an API key with roles, optionally acting as a given user and expiring.", keyPayload,
            new QueryArguments(Arg("name", text), Arg("roles", SharedTypes.NonNull(roles)), Arg("userId", types.Id), Arg("expiresAt", types.DateTime)),
            async (c, crm) =>
            {
                var tenant = await directory.GetAsync(crm.Session.Store, c.CancellationToken);
                var keyRoles = c.GetArgument<List<string>>("roles");
                foreach (var role in keyRoles.Where(r => !tenant.Roles.ContainsKey(r) && RoleDefinition.BuiltIns.All(b => b.Name != r)))
                {
                    throw new CrmException(ErrorCodes.NotFound, $"There is no role '{role}'.", "roles");
                }

                var userId = c.GetArgument<string?>("userId") is { } user ? GraphKinds.ReadId(user, GlobalId.UserType, "userId") : (Guid?)null;
                // A key acts as its user: one for a deactivated user would bring them back.
                if (userId is { } existing && tenant.Users.GetValueOrDefault(existing) is not { Active: true })
                {
                    throw new CrmException(ErrorCodes.NotFound, $"There is no active user {existing}.", "userId");
                }

                var expiresAt = c.GetArgument<DateTime?>("expiresAt");
                if (expiresAt is { } expiry && expiry <= time.GetUtcNow().UtcDateTime)
                {
                    throw new CrmException(ErrorCodes.InvalidValue, "expiresAt must be in the future.", "expiresAt");
                }

                var issued = await catalog.CreateApiKeyAsync(crm.Session.TenantId, c.GetArgument<string>("name"), keyRoles, userId, expiresAt?.ToUniversalTime(), c.CancellationToken);
                var holder = userId is { } owner ? $" for user {owner}" : " for an integration";
                var granted = keyRoles.Count == 0 ? "no roles of its own" : "roles " + string.Join(", ", keyRoles);
                await directory.LogAsync(crm.Session.Store, crm.Session.Principal.UserId, issued.Id, "key_created", $"Key {issued.Id} '{c.GetArgument<string>("name")}'{holder} with {granted}.", c.CancellationToken);
                var row = (await catalog.ListApiKeysAsync(crm.Session.TenantId, c.CancellationToken)).Single(k => k.Id == issued.Id);
                return new IssuedKey(row, issued.Key);
            },
            value => value is IssuedKey issued ? issued.Row : value);
        AdminMutation(context, "setAllowedOrigins", "Replaces the browser origins whose pages may call this API with the tenant's keys (CORS), such as https://app.example.com; an empty list allows none.",
            Payload("AllowedOriginsPayload", "allowedOrigins", SharedTypes.ListOf(types.String), types),
            new QueryArguments(Arg("origins", SharedTypes.NonNull(SharedTypes.ListOf(types.String)))),
            async (c, crm) => await settings.SetAllowedOriginsAsync(crm.Session.Store, c.GetArgument<List<string>>("origins"), crm.Session.Principal, c.CancellationToken));
        AdminMutation(context, "revokeApiKey", "Revokes an API key at once.", keyPayload,
            new QueryArguments(Arg("id", text)),
            async (c, crm) =>
            {
                var row = await catalog.RevokeApiKeyAsync(crm.Session.TenantId, c.GetArgument<string>("id"), c.CancellationToken);
                await directory.LogAsync(crm.Session.Store, crm.Session.Principal.UserId, row.Id, "key_revoked", $"Key {row.Id} '{row.Name}' revoked.", c.CancellationToken);
                return row;
            });
    }

    private static Task<Permissions> Permissions(CrmUserContext crm, IResolveFieldContext c) => Task.FromResult(crm.Session.Permissions);

    private void AdminQuery(SchemaBuildContext context, string name, string description, IGraphType type, QueryArguments? arguments, Func<IResolveFieldContext, CrmUserContext, Task<object?>> resolve) =>
        context.Query.AddField(new FieldType
        {
            Name = name,
            Description = description + " Needs admin rights.",
            ResolvedType = type,
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) => (await Permissions(crm, c)).IsAdmin
                ? await resolve(c, crm)
                : throw new CrmException(ErrorCodes.Forbidden, $"Reading {name} needs admin rights.")),
        });

    private void AdminMutation(SchemaBuildContext context, string name, string description, ObjectGraphType payload, QueryArguments arguments,
        Func<IResolveFieldContext, CrmUserContext, Task<object?>> change, Func<object?, object?>? present = null) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = description + " Needs admin rights.",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                if (!(await Permissions(crm, c)).IsAdmin)
                {
                    await directory.LogAsync(crm.Session.Store, crm.Session.Principal.UserId, crm.Session.Principal.KeyId, "access_denied", $"{name} refused: not an admin.", c.CancellationToken);
                    return new Outcome(null, [new CrmError(ErrorCodes.Forbidden, $"{name} needs admin rights.")]);
                }

                try
                {
                    return new Outcome(await change(c, crm), []);
                }
                catch (CrmException e)
                {
                    return new Outcome(null, e.Errors);
                }
            }),
        });

    private static ObjectGraphType Payload(string name, string field, IGraphType type, SharedTypes types)
    {
        var payload = new ObjectGraphType { Name = name };
        payload.AddField(new FieldType { Name = field, ResolvedType = type, Resolver = Resolve.Sync(c => ((Outcome)c.Source!).Value is IssuedKey issued ? issued.Row : ((Outcome)c.Source!).Value) });
        payload.AddField(new FieldType { Name = "userErrors", ResolvedType = types.UserErrors, Resolver = Resolve.Sync(c => ((Outcome)c.Source!).Errors) });
        return payload;
    }

    private static QueryArgument Arg(string name, IGraphType type) => new(type) { Name = name };

    private static Guid UserId(IResolveFieldContext c, string argument) => GraphKinds.ReadId(c.GetArgument<string>(argument), GlobalId.UserType, argument);

    private sealed record Outcome(object? Value, IReadOnlyList<CrmError> Errors);

    private sealed record IssuedKey(ApiKeyRow Row, string Key);
}
