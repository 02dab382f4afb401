using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Sharing;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Records;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Sharing;

/// <summary>
/// Record sharing and external users (docs/sharing-and-external-users.md): <c>recordShares</c>,
/// <c>shareRecord</c> and <c>unshareRecord</c> for those who may edit a record; for admins
/// <c>createExternalUser</c>, <c>setShareInheritance</c> and <c>setOrganizationLookups</c>.
/// </summary>
public sealed class SharingContributor(SharingService sharing) : ISchemaContributor
{
    public const string ShareType = "share";

    public int Order => 33;

    public void Contribute(SchemaBuildContext context)
    {
        var types = context.Types;
        var access = new EnumerationGraphType { Name = "ShareAccess", Description = "What a share allows: READ the record, or EDIT (update) it too." };
        access.Add("READ", false, "Read the record.");
        access.Add("EDIT", true, "Read and update the record.");
        var share = new ObjectGraphType { Name = "RecordShare", Description = "A record shared with a user or a team." };
        share.AddField(new FieldType { Name = "id", ResolvedType = SharedTypes.NonNull(types.Id), Resolver = Resolve.Sync(c => GlobalId.Encode(ShareType, S(c).Id)) });
        share.AddField(new FieldType { Name = "recordId", ResolvedType = SharedTypes.NonNull(types.Id), Resolver = Resolve.Sync(c => GlobalId.Encode(S(c).Entity, S(c).RecordId)) });
        share.AddField(new FieldType { Name = "userId", ResolvedType = types.Id, Resolver = Resolve.Sync(c => S(c).IsTeam ? null : GlobalId.Encode(GlobalId.UserType, S(c).PrincipalId)) });
        share.AddField(new FieldType { Name = "teamId", ResolvedType = types.Id, Resolver = Resolve.Sync(c => S(c).IsTeam ? GlobalId.Encode(Identity.IdentityTypes.TeamType, S(c).PrincipalId) : null) });
        share.AddField(new FieldType { Name = "access", ResolvedType = SharedTypes.NonNull(access), Resolver = Resolve.Sync(c => S(c).CanEdit) });
        share.AddField(new FieldType { Name = "createdAt", ResolvedType = SharedTypes.NonNull(types.DateTime), Resolver = Resolve.Sync(c => DateTime.SpecifyKind(S(c).CreatedAt, DateTimeKind.Utc)) });
        share.AddField(new FieldType { Name = "createdBy", ResolvedType = SharedTypes.NonNull(types.Id), Resolver = Resolve.Sync(c => GlobalId.Encode(GlobalId.UserType, S(c).CreatedBy)) });

        var id = new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "id", Description = "The record's id." };
        context.Query.AddField(new FieldType
        {
            Name = "recordShares",
            Description = "Whom a record is shared with, oldest share first. For those who may edit the record, and admins.",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(share)),
            Arguments = new QueryArguments(id),
            Resolver = Resolve.Async(async (c, crm) =>
            {
                var (entity, record) = RecordId(c.GetArgument<string>("id"));
                return await sharing.SharesAsync(crm.Session, entity, record, c.CancellationToken);
            }),
        });

        var sharePayload = Payload("ShareRecordPayload", "share", share, types);
        Mutation(context, "shareRecord", "Shares a record with a user or a team (give one of userId and teamId), to READ or to EDIT; sharing again changes the access. For those who may edit the record, and admins; a share never widens an entity's rights, only which records they reach.",
            sharePayload, new QueryArguments(id, new QueryArgument(types.Id) { Name = "userId" }, new QueryArgument(types.Id) { Name = "teamId" }, new QueryArgument(access) { Name = "access", DefaultValue = false }),
            admin: false, async (c, crm) =>
            {
                var (entity, record) = RecordId(c.GetArgument<string>("id"));
                var principal = (c.GetArgument<string?>("userId"), c.GetArgument<string?>("teamId")) switch
                {
                    ({ } user, null) => GraphKinds.ReadId(user, GlobalId.UserType, "userId"),
                    (null, { } team) => GraphKinds.ReadId(team, Identity.IdentityTypes.TeamType, "teamId"),
                    _ => throw new CrmException(ErrorCodes.InvalidInput, "Give exactly one of userId and teamId.", "userId"),
                };
                return await sharing.ShareAsync(crm.Session, entity, record, principal, c.GetArgument<bool>("access"), c.CancellationToken);
            });
        Mutation(context, "unshareRecord", "Takes a share back. For those who may edit the record, and admins.",
            Payload("UnshareRecordPayload", "share", share, types), new QueryArguments(new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "shareId" }),
            admin: false, async (c, crm) => await sharing.UnshareAsync(crm.Session, GraphKinds.ReadId(c.GetArgument<string>("shareId"), ShareType, "shareId"), c.CancellationToken));

        var lookups = Payload("SharingLookupsPayload", "fields", SharedTypes.ListOf(types.String), types);
        var entityAndFields = new QueryArguments(
            new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "entity" },
            new QueryArgument(SharedTypes.NonNull(SharedTypes.ListOf(types.String))) { Name = "fields" });
        Mutation(context, "setShareInheritance", "Replaces the lookups of an entity through which its records inherit the shares of the records they point to (contacts of a shared account, say).",
            lookups, entityAndFields, admin: true,
            async (c, crm) => await sharing.SetInheritingLookupsAsync(crm.Session, c.GetArgument<string>("entity"), c.GetArgument<List<string>>("fields"), c.CancellationToken));
        Mutation(context, "setOrganizationLookups", "Replaces the lookups of an entity that name the organization its records belong to: external users see the records pointing to their organization through them.",
            lookups, entityAndFields, admin: true,
            async (c, crm) => await sharing.SetOrganizationLookupsAsync(crm.Session, c.GetArgument<string>("entity"), c.GetArgument<List<string>>("fields"), c.CancellationToken));
        Mutation(context, "createExternalUser", "Adds a user of kind external (a customer's or partner's staff) belonging to an organization record (an account, a partner...): never an admin, reaching at most their organization's records and what is shared with them.",
            Payload("ExternalUserPayload", "userId", types.Id, types),
            new QueryArguments(
                new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "email" },
                new QueryArgument(SharedTypes.NonNull(types.String)) { Name = "displayName" },
                new QueryArgument(types.String) { Name = "externalId" },
                new QueryArgument(SharedTypes.ListOf(types.String)) { Name = "roles" },
                new QueryArgument(SharedTypes.NonNull(types.Id)) { Name = "organizationId", Description = "The id of the organization record." }),
            admin: true, async (c, crm) =>
            {
                var (entity, organization) = RecordId(c.GetArgument<string>("organizationId"), "organizationId");
                var user = await sharing.CreateExternalUserAsync(crm.Session, c.GetArgument<string>("email"), c.GetArgument<string>("displayName"), c.GetArgument<string?>("externalId"),
                    c.GetArgument<List<string>?>("roles") ?? [], entity, organization, c.CancellationToken);
                return GlobalId.Encode(GlobalId.UserType, user.Id);
            });
    }

    private static ShareRow S(IResolveFieldContext c) => (ShareRow)c.Source!;

    private static (string Entity, Guid Id) RecordId(string value, string argument = "id") =>
        GlobalId.TryDecode(value, out var entity, out var id) ? (entity, id) : throw new CrmException(ErrorCodes.InvalidId, $"'{value}' is not a record id.", argument);

    private static ObjectGraphType Payload(string name, string field, IGraphType type, SharedTypes types)
    {
        var payload = new ObjectGraphType { Name = name };
        payload.AddField(new FieldType { Name = field, ResolvedType = type, Resolver = Resolve.Sync(c => ((Outcome)c.Source!).Value) });
        payload.AddField(new FieldType { Name = "userErrors", ResolvedType = types.UserErrors, Resolver = Resolve.Sync(c => ((Outcome)c.Source!).Errors) });
        return payload;
    }

    private static void Mutation(SchemaBuildContext context, string name, string description, ObjectGraphType payload, QueryArguments arguments, bool admin,
        Func<IResolveFieldContext, CrmUserContext, Task<object?>> change) =>
        context.Mutation.AddField(new FieldType
        {
            Name = name,
            Description = admin ? description + " Needs admin rights." : description,
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) =>
            {
                if (admin && !crm.Session.Permissions.IsAdmin)
                {
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

    private sealed record Outcome(object? Value, IReadOnlyList<CrmError> Errors);
}
