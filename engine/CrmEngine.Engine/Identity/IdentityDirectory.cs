using System.Collections.Concurrent;
using System.Text.Json;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Identity;

/// <summary>
/// Keeps each tenant's <see cref="TenantDirectory"/> in memory and is the one place that changes
/// users, teams and roles: every change writes the tenant's store, logs a security event in the same
/// transaction, and replaces the cached directory (here at once, on other hosts through a change event).
/// </summary>
public sealed class IdentityDirectory(ChangeFeed changes, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TenantDirectory>>> _directories = new(StringComparer.Ordinal);

    public async Task<TenantDirectory> GetAsync(TenantStore store, CancellationToken cancellationToken)
    {
        var lazy = _directories.GetOrAdd(store.TenantId, _ => new Lazy<Task<TenantDirectory>>(() => LoadAsync(store)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            _directories.TryRemove(new KeyValuePair<string, Lazy<Task<TenantDirectory>>>(store.TenantId, lazy));
            throw;
        }
    }

    public async Task<Permissions> PermissionsAsync(TenantStore store, CrmPrincipal principal, CancellationToken cancellationToken) =>
        principal.UserId == CrmPrincipal.SystemUserId ? Permissions.System(principal) : new Permissions(principal, await GetAsync(store, cancellationToken));

    public Task<UserRow> CreateUserAsync(TenantStore store, Guid actor, string email, string displayName, string? externalId, IReadOnlyList<string> roles, CancellationToken cancellationToken) =>
        ChangeAsync(store, actor, "user_created", $"User {email} with roles {string.Join(", ", roles)}.", async (context, directory) =>
        {
            var user = AddUser(context, directory, email, displayName, externalId, roles);
            await context.SaveChangesAsync(cancellationToken);
            return user;
        }, cancellationToken);

    /// <summary>Adds a user and their roles to the context, after checking the e-mail and external id are free and the roles exist.</summary>
    internal UserRow AddUser(Storage.TenantDbContext context, TenantDirectory directory, string email, string displayName, string? externalId, IReadOnlyList<string> roles)
    {
        email = email.Trim().ToLowerInvariant();
        if (directory.Users.Values.Any(u => u.Email == email))
        {
            throw new CrmException(ErrorCodes.NameTaken, $"A user with e-mail {email} already exists.", "email");
        }

        if (externalId is not null && directory.Users.Values.Any(u => u.ExternalId == externalId))
        {
            throw new CrmException(ErrorCodes.NameTaken, $"Another user already has external id {externalId}.", "externalId");
        }

        CheckRoles(directory, roles);
        var now = time.UtcNow();
        var user = new UserRow { Id = Guid.CreateVersion7(), Email = email, DisplayName = displayName.Trim(), ExternalId = externalId, CreatedAt = now, UpdatedAt = now };
        context.Set<UserRow>().Add(user);
        context.Set<UserRoleRow>().AddRange(roles.Distinct().Select(r => new UserRoleRow { UserId = user.Id, Role = r }));
        return user;
    }

    public Task<UserRow> UpdateUserAsync(TenantStore store, Guid actor, Guid userId, string? displayName, bool? active, Patch<string?> externalId, CancellationToken cancellationToken) =>
        ChangeAsync(store, actor, "user_changed", $"User {userId}: " + string.Join(", ", new[] { displayName is null ? null : "name", active is null ? null : $"active={active}", externalId.HasValue ? "external id" : null }.OfType<string>()), async (context, directory) =>
        {
            var user = await context.Set<UserRow>().AsTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw NoUser(userId);
            user.DisplayName = displayName?.Trim() ?? user.DisplayName;
            user.Active = active ?? user.Active;
            if (externalId.HasValue)
            {
                if (externalId.Value is not null && directory.Users.Values.Any(u => u.ExternalId == externalId.Value && u.Id != userId))
                {
                    throw new CrmException(ErrorCodes.NameTaken, $"Another user already has external id {externalId.Value}.", "externalId");
                }

                user.ExternalId = externalId.Value;
            }

            user.UpdatedAt = time.UtcNow();
            await context.SaveChangesAsync(cancellationToken);
            return user;
        }, cancellationToken);

    public Task<UserRow> SetUserRolesAsync(TenantStore store, Guid actor, Guid userId, IReadOnlyList<string> roles, CancellationToken cancellationToken) =>
        ChangeAsync(store, actor, "roles_changed", $"User {userId} now has roles {string.Join(", ", roles)}.", async (context, directory) =>
        {
            var user = directory.Users.GetValueOrDefault(userId) ?? throw NoUser(userId);
            CheckRoles(directory, roles);
            await context.Set<UserRoleRow>().Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            context.Set<UserRoleRow>().AddRange(roles.Distinct().Select(r => new UserRoleRow { UserId = userId, Role = r }));
            await context.SaveChangesAsync(cancellationToken);
            return user;
        }, cancellationToken);

    public Task<TeamRow> SaveTeamAsync(TenantStore store, Guid actor, Guid? teamId, string name, Guid? managerId, IReadOnlyList<Guid>? members, CancellationToken cancellationToken) =>
        ChangeAsync(store, actor, "team_changed", $"Team {name}" + (members is null ? "." : $" with {members.Count} member(s)."), async (context, directory) =>
        {
            name = name.Trim();
            if (name.Length == 0 || directory.Teams.Values.Any(t => t.Name == name && t.Id != teamId))
            {
                throw new CrmException(ErrorCodes.NameTaken, $"A team must have a name no other team has; '{name}' is taken or empty.", "name");
            }

            foreach (var user in (members ?? []).Append(managerId ?? Guid.Empty).Where(u => u != Guid.Empty))
            {
                _ = directory.Users.GetValueOrDefault(user) ?? throw NoUser(user);
            }

            var team = teamId is null
                ? context.Set<TeamRow>().Add(new TeamRow { Id = Guid.CreateVersion7(), Name = name, CreatedAt = time.UtcNow() }).Entity
                : await context.Set<TeamRow>().AsTracking().SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken)
                    ?? throw new CrmException(ErrorCodes.NotFound, $"There is no team {teamId}.", "id");
            team.Name = name;
            team.ManagerId = managerId;
            if (members is not null)
            {
                await context.Set<TeamMemberRow>().Where(m => m.TeamId == team.Id).ExecuteDeleteAsync(cancellationToken);
                context.Set<TeamMemberRow>().AddRange(members.Distinct().Select(m => new TeamMemberRow { TeamId = team.Id, UserId = m }));
            }

            await context.SaveChangesAsync(cancellationToken);
            return team;
        }, cancellationToken);

    public Task<RoleDefinition> SaveRoleAsync(TenantStore store, Guid actor, RoleDefinition role, CancellationToken cancellationToken) =>
        ChangeAsync(store, actor, "role_changed", $"Role {role.Name}: {JsonSerializer.Serialize(role, MetadataJson.Options)}", async (context, directory) =>
        {
            if (RoleDefinition.BuiltIns.Any(b => b.Name == role.Name))
            {
                throw new CrmException(ErrorCodes.ReservedName, $"'{role.Name}' is a built-in role and can't be changed; make a role of your own.", "name");
            }

            if (!Naming.IsValidApiName(role.Name))
            {
                throw new CrmException(ErrorCodes.InvalidName, $"Role name '{role.Name}' must be camelCase letters and digits.", "name");
            }

            var json = JsonSerializer.Serialize(role with { BuiltIn = false }, MetadataJson.Options);
            var existing = await context.Set<RoleRow>().AsTracking().SingleOrDefaultAsync(r => r.Name == role.Name, cancellationToken);
            if (existing is null)
            {
                context.Set<RoleRow>().Add(new RoleRow { Name = role.Name, Definition = json, UpdatedAt = time.UtcNow() });
            }
            else
            {
                existing.Definition = json;
                existing.UpdatedAt = time.UtcNow();
            }

            await context.SaveChangesAsync(cancellationToken);
            return role;
        }, cancellationToken);

    public Task<bool> DeleteRoleAsync(TenantStore store, Guid actor, string name, CancellationToken cancellationToken) =>
        ChangeAsync(store, actor, "role_deleted", $"Role {name} deleted.", async (context, directory) =>
        {
            if (!directory.Roles.ContainsKey(name))
            {
                throw new CrmException(ErrorCodes.NotFound, $"There is no role '{name}' to delete (built-in roles can't be deleted).", "name");
            }

            await context.Set<UserRoleRow>().Where(r => r.Role == name).ExecuteDeleteAsync(cancellationToken);
            await context.Set<RoleRow>().Where(r => r.Name == name).ExecuteDeleteAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Records a security event on its own (a key issued, access refused).</summary>
    public async Task LogAsync(TenantStore store, Guid? actor, string? keyId, string securityEvent, string detail, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        context.Set<SecurityLogRow>().Add(Event(actor, keyId, securityEvent, detail));
        await context.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SecurityLogRow>> SecurityLogAsync(TenantStore store, int first, string? securityEvent, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var query = context.Set<SecurityLogRow>().AsQueryable();
        if (securityEvent is not null)
        {
            query = query.Where(e => e.Event == securityEvent);
        }

        return await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(Math.Clamp(first, 1, 1000)).ToListAsync(cancellationToken);
    }

    public void Invalidate(string tenantId) => _directories.TryRemove(tenantId, out _);

    internal async Task<T> ChangeAsync<T>(TenantStore store, Guid actor, string securityEvent, string detail, Func<Storage.TenantDbContext, TenantDirectory, Task<T>> change, CancellationToken cancellationToken)
    {
        var directory = await GetAsync(store, cancellationToken);
        await using var context = store.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var result = await change(context, directory);
        context.Set<SecurityLogRow>().Add(Event(actor, null, securityEvent, detail));
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishAsync(new ChangeEvent(ChangeKinds.Identity, store.TenantId), cancellationToken);
        return result;
    }

    private SecurityLogRow Event(Guid? actor, string? keyId, string securityEvent, string detail) =>
        new() { Id = Guid.CreateVersion7(), At = time.UtcNow(), Actor = actor, KeyId = keyId, Event = securityEvent, Detail = detail.Length > 2000 ? detail[..2000] : detail };

    private static void CheckRoles(TenantDirectory directory, IReadOnlyList<string> roles)
    {
        foreach (var role in roles.Where(r => !directory.Roles.ContainsKey(r) && RoleDefinition.BuiltIns.All(b => b.Name != r)))
        {
            throw new CrmException(ErrorCodes.NotFound, $"There is no role '{role}'.", "roles");
        }
    }

    private static CrmException NoUser(Guid id) => new(ErrorCodes.NotFound, $"There is no user {id}.", "id");

    private static async Task<TenantDirectory> LoadAsync(TenantStore store)
    {
        await using var context = store.CreateContext();
        return new TenantDirectory(
            await context.Set<UserRow>().ToListAsync(),
            await context.Set<TeamRow>().ToListAsync(),
            await context.Set<TeamMemberRow>().ToListAsync(),
            await context.Set<RoleRow>().ToListAsync(),
            await context.Set<UserRoleRow>().ToListAsync(),
            new Sharing.SharingPolicy(
                await context.Set<Sharing.ShareInheritanceRow>().ToListAsync(),
                await context.Set<Sharing.OrganizationLookupRow>().ToListAsync(),
                await context.Set<Sharing.ExternalUserRow>().ToListAsync(),
                await context.Set<Sharing.ShareRow>().Select(s => s.PrincipalId).Distinct().ToListAsync()));
    }
}
