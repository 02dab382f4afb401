using CrmEngine.Documents.Api;
using CrmEngine.Documents.Merge;
using CrmEngine.Documents.Storage;
using CrmEngine.Documents.Templates;
using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Documents;

public static class DocumentsServiceCollectionExtensions
{
    /// <summary>
    /// Generated documents: the templates' table, the generator (needs the files service,
    /// AddCrmFiles), and the GraphQL operations. Settings come from "Crm:Documents" (see <see cref="DocumentOptions"/>).
    /// </summary>
    public static IServiceCollection AddCrmDocuments(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<DocumentOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(DocumentOptions.Section));
        }

        services.AddSingleton<ISystemTables, DocumentTables>();
        services.AddSingleton<DocumentTemplateService>();
        services.AddSingleton<DocumentData>();
        services.AddSingleton<DocumentGenerator>();
        services.AddSingleton<ISchemaContributor, DocumentsContributor>();
        return services;
    }
}
