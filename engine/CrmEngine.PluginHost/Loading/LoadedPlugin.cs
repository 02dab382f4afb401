using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.PluginHost.Loading;

public enum PluginStatus
{
    /// <summary>Loaded and usable; tenants may enable it.</summary>
    Loaded,

    /// <summary>Not loaded; <see cref="LoadedPlugin.Error"/> says why.</summary>
    Refused,
}

/// <summary>A plugin folder as the host found it: its manifest, whether it loaded, and what it declares.</summary>
public sealed class LoadedPlugin
{
    public LoadedPlugin(string folder, PluginManifest? manifest, string fallbackId)
    {
        Folder = folder;
        Manifest = manifest;
        Id = manifest?.Id ?? fallbackId;
    }

    public string Id { get; }

    public string Folder { get; }

    public PluginManifest? Manifest { get; }

    public PluginStatus Status { get; private set; } = PluginStatus.Loaded;

    public string? Error { get; private set; }

    public System.Reflection.Assembly? Assembly { get; internal set; }

    public List<EntityDeclaration> Entities { get; } = [];

    public List<EntityDeclaration> Extensions { get; } = [];

    /// <summary>The per-tenant settings the plugin declares, their defaults in canonical form.</summary>
    public List<Sdk.Settings.SettingDeclaration> Settings { get; } = [];

    /// <summary>The approval processes the plugin declares; the approval service runs them on tenants that enable it.</summary>
    public List<Sdk.Approvals.ApprovalProcessDeclaration> ApprovalProcesses { get; } = [];

    /// <summary>The plugin's operations, known once the container exists (they are DI services).</summary>
    public List<IPluginOperation> Operations { get; } = [];

    /// <summary>Implementation types registered from the plugin, to attribute hooks, jobs and operations to it.</summary>
    public List<Type> ContributedTypes { get; } = [];

    /// <summary>What the plugin registered, its contracts' implementations included: its container's (<see cref="PluginServices"/>).</summary>
    internal IServiceCollection OwnServices { get; } = new ServiceCollection();

    public LoadedPlugin Refuse(string error)
    {
        Status = PluginStatus.Refused;
        Error = error;
        return this;
    }
}
