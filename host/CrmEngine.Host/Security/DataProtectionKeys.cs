using CrmEngine.Engine.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CrmEngine.Host.Security;

/// <summary>
/// ASP.NET Core Data Protection for what the engine keeps encrypted (plugin settings' secrets): one
/// application name, and the key ring in the data directory (<c>data-protection-keys/</c>, owner
/// only), so every host of a deployment that shares the data directory, and every restart, reads
/// what another wrote. Hosts that don't share it must be given a shared key ring the usual Data
/// Protection way; a value protected with a key a host lacks reads as unset, never as an error.
/// </summary>
public static class DataProtectionKeys
{
    public const string ApplicationName = "CrmEngine";

    public const string FolderName = "data-protection-keys";

    public static IServiceCollection AddCrmDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<DataDirectory, ILoggerFactory>((options, data, logs) =>
        {
            // A key ring configured explicitly (Data Protection's own API) is left alone.
            if (options.XmlRepository is null)
            {
                var folder = Path.Combine(data.Path, FolderName);
                OwnerOnlyFile.CreateDirectory(folder);
                options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), logs);
            }
        });
        return services;
    }
}
