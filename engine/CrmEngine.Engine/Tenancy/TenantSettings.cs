using System.Text.Json;
using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Tenancy;

/// <summary>One tenant setting: a name and its JSON value.</summary>
public sealed class TenantSettingRow
{
    public required string Name { get; set; }

    public required string Value { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>The tenant's settings table (crm_setting), in every tenant store.</summary>
public sealed class SettingsSystemTables : ISystemTables
{
    public string Name => "settings";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version) =>
        builder.Entity<TenantSettingRow>(b =>
        {
            b.ToTable("crm_setting");
            b.HasKey(x => x.Name);
        });
}

/// <summary>
/// Settings a tenant admin makes for the tenant, kept in the tenant's own store (so they are backed
/// up, restored and deleted with it). Every change is told to all hosts as a
/// <see cref="ChangeKinds.Settings"/> event and written to the security log.
/// </summary>
public sealed class TenantSettings(IdentityDirectory directory, ChangeFeed changes, TimeProvider time)
{
    /// <summary>The browser origins allowed to call the API with this tenant's keys (CORS).</summary>
    public const string AllowedOrigins = "allowedOrigins";

    /// <summary>At most this many origins per tenant.</summary>
    public const int MaxOrigins = 50;

    public async Task<IReadOnlyList<string>> AllowedOriginsAsync(TenantStore store, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var row = await context.Set<TenantSettingRow>().AsNoTracking().SingleOrDefaultAsync(s => s.Name == AllowedOrigins, cancellationToken);
        return row is null ? [] : JsonSerializer.Deserialize<List<string>>(row.Value) ?? [];
    }

    /// <summary>Replaces the tenant's allowed origins; each must be an origin (scheme://host[:port]). Returns them as stored.</summary>
    public async Task<IReadOnlyList<string>> SetAllowedOriginsAsync(TenantStore store, IEnumerable<string> origins, CrmPrincipal actor, CancellationToken cancellationToken)
    {
        var normalized = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new List<CrmError>();
        foreach (var origin in origins)
        {
            if (BrowserOrigin.Normalize(origin) is { } valid)
            {
                normalized.Add(valid);
            }
            else
            {
                errors.Add(new CrmError(ErrorCodes.InvalidValue, $"'{origin}' is not an origin: give scheme, host and optional port, such as https://app.example.com or http://localhost:3000 (no path, no wildcard).", "origins"));
            }
        }

        if (normalized.Count > MaxOrigins)
        {
            errors.Add(new CrmError(ErrorCodes.OutOfRange, $"At most {MaxOrigins} origins may be allowed.", "origins"));
        }

        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        await using (var context = store.CreateContext())
        {
            var rows = context.Set<TenantSettingRow>();
            var row = await rows.AsTracking().SingleOrDefaultAsync(s => s.Name == AllowedOrigins, cancellationToken);
            var value = JsonSerializer.Serialize(normalized);
            if (row is null)
            {
                rows.Add(new TenantSettingRow { Name = AllowedOrigins, Value = value, UpdatedAt = time.UtcNow() });
            }
            else
            {
                (row.Value, row.UpdatedAt) = (value, time.UtcNow());
            }

            await context.SaveChangesAsync(cancellationToken);
        }

        await directory.LogAsync(store, actor.UserId, actor.KeyId, "allowed_origins_set", normalized.Count == 0 ? "No browser origins allowed." : "Browser origins allowed: " + string.Join(", ", normalized), cancellationToken);
        await changes.PublishAsync(new ChangeEvent(ChangeKinds.Settings, store.TenantId), cancellationToken);
        return normalized.ToList();
    }
}

/// <summary>Browser origins as CORS compares them: scheme://host[:port], lower case, default ports left out.</summary>
public static class BrowserOrigin
{
    /// <summary>The origin in the form browsers send it, or null when <paramref name="value"/> is not one (a path, a wildcard, another scheme).</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            || value.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}
