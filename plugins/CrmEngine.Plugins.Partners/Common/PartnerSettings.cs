using CrmEngine.Sdk.Plugins;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>The partners module's per-tenant settings (the SDK's plugin settings) and the day they count from.</summary>
internal static class PartnerSettings
{
    public const string ProtectionDays = "protectionDays";
    public const string ExtensionDays = "extensionDays";
    public const string MaxExtensions = "maxExtensions";

    /// <summary>Registrations' protection is counted in days of China Standard Time, where the channel works.</summary>
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var zone) ? zone : TimeZoneInfo.Utc;

    public static void Declare(IPluginBuilder builder) => builder
        .Setting(ProtectionDays, SettingType.Integer, s => s.Label("Registration protection (days)", "报备保护期（天）").Default(90))
        .Setting(ExtensionDays, SettingType.Integer, s => s.Label("Days an extension adds", "每次延期天数").Default(30))
        .Setting(MaxExtensions, SettingType.Integer, s => s.Label("Extensions allowed per registration", "每个报备可延期次数").Default(1));

    /// <summary>The calendar day an instant falls on in China.</summary>
    public static DateOnly Today(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, Zone));

    public static async Task<int> DaysAsync(IPluginSettings settings, string name, CancellationToken cancellationToken) =>
        (int)await settings.GetAsync<long>(name, cancellationToken);
}
