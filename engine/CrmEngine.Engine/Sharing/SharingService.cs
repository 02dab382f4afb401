using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Sharing;

/// <summary>
/// Shares records with users and teams, and keeps the tenant's sharing settings (inheriting lookups,
/// organization lookups, external users). Every change goes through the identity directory: it is
/// written with a security event in one transaction and refreshes the tenant's identity snapshot,
/// which knows who holds shares. Who may share: whoever may edit the record, and admins; external
/// users may not share (sharing names the tenant's own people).
/// </summary>
public sealed class SharingService(IdentityDirectory directory, RecordReader reader, TimeProvider time)
{
    public async Task<ShareRow> ShareAsync(CrmSession session, string entity, Guid recordId, Guid principalId, bool canEdit, CancellationToken cancellationToken)
    {
        await EditableAsync(session, entity, recordId, cancellationToken);
        var tenant = await directory.GetAsync(session.Store, cancellationToken);
        var isTeam = tenant.Teams.ContainsKey(principalId);
        if (!isTeam && tenant.Users.GetValueOrDefault(principalId) is not { Active: true })
        {
            throw new CrmException(ErrorCodes.UserNotFound, $"There is no active user or team {principalId} to share with.", "userId");
        }

        var access = canEdit ? "edit" : "read";
        return await directory.ChangeAsync(session.Store, session.Principal.UserId, "record_shared", $"{entity} {recordId} shared with {(isTeam ? "team" : "user")} {principalId} to {access}.", async (context, _) =>
        {
            var share = await context.Set<ShareRow>().AsTracking().SingleOrDefaultAsync(s => s.PrincipalId == principalId && s.Entity == entity && s.RecordId == recordId, cancellationToken);
            if (share is null)
            {
                share = new ShareRow { Id = Guid.CreateVersion7(), Entity = entity, RecordId = recordId, PrincipalId = principalId, IsTeam = isTeam, CreatedAt = time.UtcNow(), CreatedBy = session.Principal.UserId };
                context.Set<ShareRow>().Add(share);
            }

            share.CanEdit = canEdit;
            await context.SaveChangesAsync(cancellationToken);
            return share;
        }, cancellationToken);
    }

    /// <summary>Takes a share back; a share of a record the caller can't edit is answered as one that doesn't exist.</summary>
    public async Task<ShareRow> UnshareAsync(CrmSession session, Guid shareId, CancellationToken cancellationToken)
    {
        ShareRow? share;
        await using (var context = session.CreateContext())
        {
            share = await context.Set<ShareRow>().SingleOrDefaultAsync(s => s.Id == shareId, cancellationToken);
        }

        var missing = new CrmException(ErrorCodes.NotFound, $"There is no share {shareId}.", "id");
        if (share is null || session.Metadata.Find(share.Entity) is null)
        {
            throw RefuseExternal(session) ?? missing;
        }

        try
        {
            await EditableAsync(session, share.Entity, share.RecordId, cancellationToken);
        }
        catch (CrmException e) when (e.Errors[0].Code == ErrorCodes.NotFound)
        {
            throw missing;
        }

        return await directory.ChangeAsync(session.Store, session.Principal.UserId, "record_unshared", $"{share.Entity} {share.RecordId} no longer shared with {share.PrincipalId}.", async (context, _) =>
        {
            await context.Set<ShareRow>().Where(s => s.Id == shareId).ExecuteDeleteAsync(cancellationToken);
            return share;
        }, cancellationToken);
    }

    /// <summary>Whom a record is shared with, for those who may share it.</summary>
    public async Task<IReadOnlyList<ShareRow>> SharesAsync(CrmSession session, string entity, Guid recordId, CancellationToken cancellationToken)
    {
        await EditableAsync(session, entity, recordId, cancellationToken);
        await using var context = session.CreateContext();
        return await context.Set<ShareRow>().Where(s => s.Entity == entity && s.RecordId == recordId).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Replaces the lookups of <paramref name="entity"/> through which it inherits its targets' shares. Admins only (the caller checks).</summary>
    public Task<IReadOnlyList<string>> SetInheritingLookupsAsync(CrmSession session, string entity, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        SetLookupsAsync<ShareInheritanceRow>(session, entity, fields, "share_inheritance_changed", (e, f) => new ShareInheritanceRow { Entity = e, Field = f }, cancellationToken);

    /// <summary>Replaces the lookups of <paramref name="entity"/> that name the organization its records belong to. Admins only (the caller checks).</summary>
    public Task<IReadOnlyList<string>> SetOrganizationLookupsAsync(CrmSession session, string entity, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        SetLookupsAsync<OrganizationLookupRow>(session, entity, fields, "organization_lookups_changed", (e, f) => new OrganizationLookupRow { Entity = e, Field = f }, cancellationToken);

    /// <summary>Adds a user of kind external, belonging to an organization record. Admins only (the caller checks).</summary>
    public Task<UserRow> CreateExternalUserAsync(CrmSession session, string email, string displayName, string? externalId, IReadOnlyList<string> roles, string organizationEntity, Guid organizationId, CancellationToken cancellationToken) =>
        directory.ChangeAsync(session.Store, session.Principal.UserId, "external_user_created", $"External user {email} of {organizationEntity} {organizationId} with roles {string.Join(", ", roles)}.", async (context, tenant) =>
        {
            var user = directory.AddUser(context, tenant, email, displayName, externalId, roles);
            var exists = session.Metadata.Find(organizationEntity) is not null && await context.Records(organizationEntity)
                .Where(PredicateBuilder.ColumnEquals(Storage.RecordColumns.Id, typeof(Guid), organizationId)).Where(RecordReader.NotDeleted()).AnyAsync(cancellationToken);
            if (!exists)
            {
                throw new CrmException(ErrorCodes.NotFound, $"There is no {organizationEntity} with id {organizationId} to be the user's organization.", "organizationId");
            }

            context.Set<ExternalUserRow>().Add(new ExternalUserRow { UserId = user.Id, OrganizationEntity = organizationEntity, OrganizationId = organizationId });
            await context.SaveChangesAsync(cancellationToken);
            return user;
        }, cancellationToken);

    /// <summary>
    /// The record, if the caller may share it: a record it can't read is answered exactly as a made-up
    /// id; one it reads but may not edit is forbidden. External users are refused before the record is looked at.
    /// </summary>
    private async Task EditableAsync(CrmSession session, string entity, Guid recordId, CancellationToken cancellationToken)
    {
        if (RefuseExternal(session) is { } refused)
        {
            throw refused;
        }

        var definition = session.Metadata.Find(entity) ?? throw new CrmException(ErrorCodes.NotFound, $"There is no {entity} with id {recordId}.", "id");
        var record = await reader.GetAsync(session, definition.Name, recordId, includeDeleted: false, cancellationToken)
            ?? throw new CrmException(WriteAccess.NotFound(definition, recordId));
        if (session.Permissions.IsAdmin)
        {
            return;
        }

        await using var context = session.CreateContext();
        if (await WriteAccess.CheckUpdateAsync(context, session.Permissions, definition, record, cancellationToken) is not null)
        {
            throw new CrmException(ErrorCodes.Forbidden, $"Only those who may edit this {entity}, and admins, may share it.", "id");
        }
    }

    private static CrmException? RefuseExternal(CrmSession session) =>
        session.Permissions.External is null ? null : new CrmException(ErrorCodes.Forbidden, "External users can't share records.");

    private async Task<IReadOnlyList<string>> SetLookupsAsync<TRow>(CrmSession session, string entity, IReadOnlyList<string> fields, string securityEvent, Func<string, string, TRow> row, CancellationToken cancellationToken)
        where TRow : class
    {
        var definition = session.Metadata.Find(entity) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity '{entity}'.", "entity");
        foreach (var field in fields)
        {
            if (definition.FindField(field) is not { LookupEntity: not null })
            {
                throw new CrmException(ErrorCodes.UnknownField, $"'{field}' is not a lookup of {entity}.", "fields");
            }
        }

        var names = fields.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return await directory.ChangeAsync(session.Store, session.Principal.UserId, securityEvent, $"{entity}: {string.Join(", ", names)}.", async (context, _) =>
        {
            await context.Set<TRow>().Where(r => EF.Property<string>(r, nameof(ShareInheritanceRow.Entity)) == definition.Name).ExecuteDeleteAsync(cancellationToken);
            context.Set<TRow>().AddRange(names.Select(f => row(definition.Name, f)));
            await context.SaveChangesAsync(cancellationToken);
            return (IReadOnlyList<string>)names;
        }, cancellationToken);
    }
}
