using System.Security.Cryptography;
using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Tenancy;
using CrmEngine.PluginHost.Jobs;
using CrmEngine.PluginHost.Loading;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmEngine.PluginHost.Settings;

/// <summary>A setting as an admin sees it: the declaration, whether the tenant set it, and its value unless it is a secret.</summary>
public sealed record PluginSettingView(SettingDeclaration Declaration, bool IsSet, object? Value);

/// <summary>
/// The tenant's values of the settings plugins declare (crm_plugin_setting, in the tenant's own
/// store). Admins list and change them; a change is checked whole against the declarations and
/// written in one transaction, or refused with typed errors and nothing written. Secrets are
/// protected with ASP.NET Core Data Protection (keys from the host's key ring, shared by the hosts
/// of a deployment), never returned, and unprotected only for the plugin that declared them.
/// </summary>
public sealed class PluginSettingsStore(PluginCatalog catalog, IDataProtectionProvider protection, TimeProvider time, ILogger<PluginSettingsStore> logger)
{
    /// <summary>The most values one setPluginSettings takes.</summary>
    public const int MaxValues = 100;

    /// <summary>The plugin's settings on the tenant. Needs admin rights.</summary>
    public async Task<IReadOnlyList<PluginSettingView>> ListAsync(CrmSession session, string pluginId, CancellationToken cancellationToken)
    {
        JobRunLog.RequireAdmin(session, "Plugin settings");
        var declarations = Declarations(pluginId);
        var rows = await RowsAsync(session.Store, pluginId, cancellationToken);
        return declarations.Select(d => rows.TryGetValue(d.Name, out var row)
            ? new PluginSettingView(d, true, d.Secret ? null : Read(d, row))
            : new PluginSettingView(d, false, null)).ToList();
    }

    /// <summary>Sets (or, with null, clears back to the default) the given settings, all or none. Needs admin rights.</summary>
    public async Task<IReadOnlyList<PluginSettingView>> SetAsync(CrmSession session, string pluginId, IReadOnlyList<KeyValuePair<string, object?>> values, CancellationToken cancellationToken)
    {
        JobRunLog.RequireAdmin(session, "Plugin settings");
        var declarations = Declarations(pluginId);
        if (values.Count > MaxValues)
        {
            throw new CrmException(ErrorCodes.PageSizeExceeded, $"setPluginSettings takes at most {MaxValues} values at a time.", "values");
        }

        var errors = new List<CrmError>();
        var changes = new List<(SettingDeclaration Setting, object? Value)>();
        foreach (var (name, input) in values)
        {
            if (declarations.FirstOrDefault(d => d.Name == name) is not { } setting)
            {
                errors.Add(new CrmError(ErrorCodes.NotFound, $"Plugin '{pluginId}' has no setting named '{name}'.", name));
            }
            else if (changes.Any(c => c.Setting.Name == name))
            {
                errors.Add(new CrmError(ErrorCodes.InvalidInput, $"Setting '{name}' is given twice.", name));
            }
            else
            {
                var value = SettingValues.Coerce(setting, input, out var error);
                if (error is not null)
                {
                    errors.Add(error);
                }

                changes.Add((setting, value));
            }
        }

        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        await using (var context = session.CreateContext())
        {
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            var rows = await context.Set<PluginSettingRow>().AsTracking().Where(r => r.PluginId == pluginId).ToDictionaryAsync(r => r.Name, cancellationToken);
            foreach (var (setting, value) in changes)
            {
                var row = rows.GetValueOrDefault(setting.Name);
                if (value is null)
                {
                    if (row is not null)
                    {
                        context.Remove(row);
                    }

                    continue;
                }

                var text = SettingValues.Format(value);
                row ??= context.Set<PluginSettingRow>().Add(new PluginSettingRow { PluginId = pluginId, Name = setting.Name, Value = string.Empty }).Entity;
                row.Value = setting.Secret ? Protector(pluginId, setting.Name).Protect(text) : text;
                row.IsProtected = setting.Secret;
                row.UpdatedAt = time.UtcNow();
                row.UpdatedBy = session.Principal.UserId;
            }

            await context.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await ListAsync(session, pluginId, cancellationToken);
    }

    /// <summary>The plugin's settings on a tenant as the plugin reads them (tenant's values, else defaults; secrets in clear).</summary>
    public IPluginSettings For(TenantStore store, string pluginId) => new TenantPluginSettings(this, store, pluginId);

    private List<SettingDeclaration> Declarations(string pluginId) =>
        catalog.Find(pluginId) is { Status: PluginStatus.Loaded } plugin
            ? plugin.Settings
            : throw new CrmException(ErrorCodes.NotFound, $"There is no plugin '{pluginId}' on this host.", "plugin");

    private static async Task<Dictionary<string, PluginSettingRow>> RowsAsync(TenantStore store, string pluginId, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.Set<PluginSettingRow>().AsNoTracking().Where(r => r.PluginId == pluginId).ToDictionaryAsync(r => r.Name, cancellationToken);
    }

    /// <summary>A stored value as the setting's CLR value; a value stored before the type changed, or a secret whose key is gone, reads as unset.</summary>
    private object? Read(SettingDeclaration setting, PluginSettingRow row)
    {
        try
        {
            var text = row.IsProtected ? Protector(row.PluginId, row.Name).Unprotect(row.Value) : row.Value;
            return SettingValues.Coerce(setting, SettingValues.Parse(setting.Type, text), out var error) is { } value && error is null ? value : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException)
        {
            logger.LogWarning("Setting {Setting} of plugin {Plugin} could not be read ({Error}); its default applies until it is set again.", row.Name, row.PluginId, e.GetType().Name);
            return null;
        }
    }

    // The purpose names the plugin and the setting: a protected value copied to another setting doesn't unprotect.
    private IDataProtector Protector(string pluginId, string name) => protection.CreateProtector("CrmEngine.PluginSettings", pluginId, name);

    /// <summary>One context's view: the tenant's rows are read once, on first use.</summary>
    private sealed class TenantPluginSettings(PluginSettingsStore owner, TenantStore store, string pluginId) : IPluginSettings
    {
        private Dictionary<string, PluginSettingRow>? _rows;

        public async Task<T?> GetAsync<T>(string name, CancellationToken cancellationToken = default)
        {
            var setting = owner.Declarations(pluginId).FirstOrDefault(d => d.Name == name)
                ?? throw new ArgumentException($"Plugin '{pluginId}' declares no setting named '{name}'.", nameof(name));
            _rows ??= await RowsAsync(store, pluginId, cancellationToken);
            var value = _rows.TryGetValue(name, out var row) ? owner.Read(setting, row) ?? setting.DefaultValue : setting.DefaultValue;
            return Sdk.Records.Values.Convert<T>(value);
        }
    }
}
