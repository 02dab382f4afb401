using CrmEngine.Engine.Coordination;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files.Api;
using CrmEngine.Files.Binding;
using CrmEngine.Files.Storage;
using CrmEngine.Files.Uploads;
using CrmEngine.GraphQL.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmEngine.Files;

public static class FilesServiceCollectionExtensions
{
    /// <summary>
    /// Files: their table, the storage (local disk, or S3 when "Crm:Files:Storage" is "s3"), uploads,
    /// download links (needs an <see cref="Sdk.Endpoints.ILinkSigner"/>: the host's), the attachment
    /// fields' check and binding in every write, and the GraphQL types and operations. Settings come
    /// from "Crm:Files" (see <see cref="FileOptions"/>).
    /// </summary>
    public static IServiceCollection AddCrmFiles(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<FileOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(FileOptions.Section));
        }

        services.AddSingleton<ISystemTables, FileTables>();
        services.AddSingleton<IFileStorage>(sp => sp.GetRequiredService<IOptions<FileOptions>>().Value.Storage.Equals("s3", StringComparison.OrdinalIgnoreCase)
            ? ActivatorUtilities.CreateInstance<S3FileStorage>(sp)
            : ActivatorUtilities.CreateInstance<LocalFileStorage>(sp));
        services.AddSingleton<UploadStager>();
        services.AddSingleton<FilesService>();
        services.AddSingleton<DownloadLinks>();
        services.AddSingleton<IRecordHook, AttachmentCheck>();
        services.AddSingleton<IWriteCompanion, AttachmentWriter>();
        services.AddSingleton<IChangeHandler, TenantFilesRemover>();
        services.AddSingleton<IChangeHandler, PurgedFilesRemover>();
        services.AddSingleton<ITenantBackupPart, FileBackups>();
        services.AddSingleton<ISchemaContributor, FilesContributor>();
        return services;
    }
}
