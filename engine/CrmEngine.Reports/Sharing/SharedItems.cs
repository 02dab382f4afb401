using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Reports.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Reports.Sharing;

/// <summary>Sharing as asked: an access and global ids of users and teams, role names.</summary>
public sealed record SharingInput(ReportAccess Access, IReadOnlyList<string> Users, IReadOnlyList<string> Teams, IReadOnlyList<string> Roles);

/// <summary>What a save says about a report's or dashboard's name, folder and sharing; null members stay as they are (a new item: no folder, private).</summary>
public sealed record SharedItemInput(string? Name, string? Folder, bool FolderGiven, SharingInput? Sharing);

/// <summary>
/// What reports and dashboards have in common: who sees them (<see cref="ReportSharing.Reaches"/>),
/// who changes them (owner and admins), their folders (paths such as <c>Sales/Monthly</c>; listing
/// a folder lists its subfolders' items too) and the checks of a name, folder and sharing.
/// </summary>
public sealed class SharedItems(IdentityDirectory directory)
{
    public const int MaxNameLength = 100;
    public const int MaxFolderLength = 200;

    /// <summary>The items the caller sees (in <paramref name="folder"/> and below, when named), by name.</summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(CrmSession session, string? folder, Func<IQueryable<T>, IQueryable<T>>? narrow, CancellationToken cancellationToken)
        where T : class, ISharedItem
    {
        await using var context = session.CreateContext();
        var query = context.Set<T>().AsNoTracking();
        if (Folder(folder) is { } path)
        {
            var below = path + "/";
            query = query.Where(r => EF.Property<string?>(r, nameof(ISharedItem.Folder)) == path || EF.Property<string>(r, nameof(ISharedItem.Folder)).StartsWith(below));
        }

        var rows = await (narrow?.Invoke(query) ?? query).ToListAsync(cancellationToken);
        return rows.Where(r => Sees(session, r)).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
    }

    public async Task<T?> GetAsync<T>(CrmSession session, Guid id, CancellationToken cancellationToken)
        where T : class, ISharedItem
    {
        await using var context = session.CreateContext();
        var row = await context.Set<T>().AsNoTracking().SingleOrDefaultAsync(r => EF.Property<Guid>(r, nameof(ISharedItem.Id)) == id, cancellationToken);
        return row is not null && Sees(session, row) ? row : null;
    }

    /// <summary>The tracked item, if the caller may change it: NOT_FOUND when they don't see it, FORBIDDEN when they only see it.</summary>
    public async Task<T> ChangeableAsync<T>(DbContext context, CrmSession session, Guid id, CancellationToken cancellationToken)
        where T : class, ISharedItem
    {
        var row = await context.Set<T>().AsTracking().SingleOrDefaultAsync(r => EF.Property<Guid>(r, nameof(ISharedItem.Id)) == id, cancellationToken);
        if (row is null || !Sees(session, row))
        {
            throw NotFound(typeof(T) == typeof(DashboardRow) ? "dashboard" : "report", id);
        }

        return ReportSharing.MayChange(session, row.OwnerId)
            ? row
            : throw new CrmException(ErrorCodes.Forbidden, $"Only its owner and admins change '{row.Name}'; it is shared with you to see and run.", "id");
    }

    public async Task<T> DeleteAsync<T>(CrmSession session, Guid id, CancellationToken cancellationToken)
        where T : class, ISharedItem
    {
        await using var context = session.CreateContext();
        var row = await ChangeableAsync<T>(context, session, id, cancellationToken);
        context.Remove(row);
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Checks and sets the name, folder and sharing, adding what is wrong to <paramref name="errors"/>.</summary>
    public async Task ApplyAsync(CrmSession session, ISharedItem item, SharedItemInput input, List<CrmError> errors, CancellationToken cancellationToken)
    {
        var name = input.Name?.Trim() ?? item.Name;
        if (name.Length == 0)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A name is required.", "name"));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new CrmError(ErrorCodes.TooLong, $"A name is at most {MaxNameLength} characters.", "name"));
        }

        item.Name = name;
        if (input.FolderGiven)
        {
            var folder = Folder(input.Folder);
            if (folder is not null && (folder.Length > MaxFolderLength || folder.Split('/').Any(s => s.Length == 0)))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidInput, $"A folder is a path of names separated by '/', at most {MaxFolderLength} characters.", "folder"));
            }

            item.Folder = folder;
        }

        if (input.Sharing is { } sharing)
        {
            item.Sharing = (await SharingAsync(session, sharing, errors, cancellationToken)).Write();
        }
    }

    /// <summary>Saves a checked item: refused whole with <paramref name="errors"/> when there are any (nothing written), else added when new or updated.</summary>
    public static async Task<T> WriteAsync<T>(DbContext context, T item, bool isNew, List<CrmError> errors, DateTime now, CancellationToken cancellationToken)
        where T : class, ISharedItem
    {
        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        item.UpdatedAt = now;
        if (isNew)
        {
            context.Add(item);
        }

        await context.SaveChangesAsync(cancellationToken);
        return item;
    }

    public static CrmException NotFound(string what, Guid id) => new(ErrorCodes.NotFound, $"There is no {what} {id} you can see.", "id");

    private static bool Sees(CrmSession session, ISharedItem item) => ReportSharing.Read(item.Sharing).Reaches(session, item.OwnerId);

    private static string? Folder(string? folder) =>
        string.IsNullOrWhiteSpace(folder) ? null : string.Join('/', folder.Trim().Trim('/').Split('/').Select(s => s.Trim()));

    /// <summary>The sharing, with every user, team and role checked to exist.</summary>
    private async Task<ReportSharing> SharingAsync(CrmSession session, SharingInput input, List<CrmError> errors, CancellationToken cancellationToken)
    {
        var tenant = await directory.GetAsync(session.Store, cancellationToken);
        List<Guid> Ids(IReadOnlyList<string> ids, string type, string member, Func<Guid, bool> exists)
        {
            var found = new List<Guid>();
            for (var i = 0; i < ids.Count; i++)
            {
                if (!GlobalId.TryRead(ids[i], type, out var id))
                {
                    errors.Add(new CrmError(ErrorCodes.InvalidId, $"'{ids[i]}' is not a {type} id.", $"sharing.{member}[{i}]"));
                }
                else if (!exists(id))
                {
                    errors.Add(new CrmError(ErrorCodes.NotFound, $"There is no {type} {id}.", $"sharing.{member}[{i}]"));
                }
                else
                {
                    found.Add(id);
                }
            }

            return found;
        }

        var users = Ids(input.Users, GlobalId.UserType, "users", tenant.Users.ContainsKey);
        var teams = Ids(input.Teams, "team", "teams", tenant.Teams.ContainsKey);
        for (var i = 0; i < input.Roles.Count; i++)
        {
            if (!tenant.Roles.ContainsKey(input.Roles[i]) && RoleDefinition.BuiltIns.All(b => b.Name != input.Roles[i]))
            {
                errors.Add(new CrmError(ErrorCodes.NotFound, $"There is no role '{input.Roles[i]}'.", $"sharing.roles[{i}]"));
            }
        }

        return new ReportSharing(input.Access, users.Distinct().ToList(), teams.Distinct().ToList(), input.Roles.Distinct(StringComparer.Ordinal).ToList());
    }
}
