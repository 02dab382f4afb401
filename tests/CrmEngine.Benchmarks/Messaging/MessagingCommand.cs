using System.Diagnostics;
using System.Globalization;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Storage;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Files;
using CrmEngine.Messaging;
using CrmEngine.Messaging.Channels;
using CrmEngine.Messaging.Delivery;
using CrmEngine.Messaging.Outbox;
using CrmEngine.Messaging.Storage;
using CrmEngine.Messaging.Templates;
using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing.Messaging;
using CrmEngine.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Messaging;

/// <summary>
/// Outbound e-mail at volume: 100k messages (by default) queued from a Liquid template to 1,000
/// contacts, in batches of 1,000 (the outbox's largest), each batch one transaction; then delivered by
/// the sender loop's own pass (TrySendDueAsync, lease included) to a loopback SMTP server (the tests'
/// SmtpServer) with the channel's throttle off. Targets: ≥ 5,000 queued/s and ≥ 500 sent/s.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- messages --messages 100000 [--store postgres]
/// </summary>
public static class MessagingCommand
{
    private const int Contacts = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(LoadCommand.Option(args, "--messages", "100000"), CultureInfo.InvariantCulture);
        var bench = BenchStore.Parse(LoadCommand.Option(args, "--store", "sqlite"), null);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-messages", bench.IsPostgres ? "pg" : "sqlite");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crm:Messaging:BatchSize"] = "1000",
            ["Crm:Messaging:Concurrency"] = "8",
        }).Build();
        var services = await bench.FreshServicesAsync(directory, "messages");
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys")));
        services.AddCrmWebhooks(configuration);
        services.AddCrmFiles(configuration);
        services.AddCrmMessaging(configuration);
        await using var engine = services.BuildServiceProvider();
        var catalog = engine.GetRequiredService<TenantCatalog>();
        await catalog.EnsureCreatedAsync(CancellationToken.None);
        await catalog.CreateTenantAsync("bench", "Benchmark", CancellationToken.None);
        var store = await engine.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        await engine.GetRequiredService<MetadataService>().CreateEntityAsync(store, Contact(), null, CancellationToken.None);
        store = await engine.GetRequiredService<TenantRegistry>().GetAsync("bench", CancellationToken.None);
        var session = new CrmSession(store, new CrmPrincipal("bench", Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        await engine.GetRequiredService<RecordImporter>().ImportAsync(session, "contact", People(), 1000, CancellationToken.None);
        List<Guid> ids;
        await using (var context = store.CreateContext())
        {
            ids = await context.Records("contact").Select(r => EF.Property<Guid>(r, RecordColumns.Id)).ToListAsync();
        }

        await using var smtp = LoopbackSmtpServer.Start(keep: false);
        await engine.GetRequiredService<ChannelSettingsService>().SetAsync(session, new ChannelSettingsInput(MessageChannel.Email, Host: "127.0.0.1", Port: smtp.Port, TlsMode: TlsMode.None, FromAddress: "crm@example.cn"), CancellationToken.None);
        await engine.GetRequiredService<TemplateService>().SaveAsync(session, new TemplateInput("news", "en", "News for {{ record.name }}", "<h1>Hello {{ record.name }}</h1><p>Our <b>news</b> this week.</p>"), CancellationToken.None);

        var outbox = engine.GetRequiredService<MessageOutbox>();
        // Processor time beside wall time: on a shared machine, the wall clock also counts others' work.
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var queueing = Stopwatch.StartNew();
        for (var done = 0; done < count; done += MessageOutbox.MaxBatch)
        {
            var batch = Enumerable.Range(done, Math.Min(MessageOutbox.MaxBatch, count - done))
                .Select(i => new MessageRequest(MessageChannel.Email, "contact", ids[i % ids.Count], "marketing", Template: "news")).ToList();
            await outbox.EnqueueAsync(session, batch, CancellationToken.None);
        }

        queueing.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine($"Queued {count:N0} e-mails in {queueing.Elapsed.TotalSeconds:F1} s: {count / queueing.Elapsed.TotalSeconds:N0}/s on {bench.Name} (target ≥ 5,000/s); {cpu.TotalSeconds:F1} s of processor time ({count / cpu.TotalSeconds:N0} per processor-second).");

        var sender = engine.GetRequiredService<MessageDeliverer>();
        var sending = Stopwatch.StartNew();
        await sender.TrySendDueAsync("bench", CancellationToken.None);
        sending.Stop();
        int sent;
        await using (var context = store.CreateContext())
        {
            sent = await context.Set<MessageRow>().CountAsync(m => m.Status == nameof(MessageStatus.Sent));
        }

        Console.WriteLine($"Sent {sent:N0} e-mails ({smtp.AcceptedCount:N0} accepted by the server) in {sending.Elapsed.TotalSeconds:F1} s: {sent / sending.Elapsed.TotalSeconds:N0}/s (target ≥ 500/s).");
        return sent == count && smtp.AcceptedCount == count ? 0 : 1;
    }

    private static EntityDefinition Contact()
    {
        static FieldDefinition Field(string name, FieldType type) => new() { Name = name, Type = type, Labels = LocalizedText.Of(Naming.Humanize(name), name) };
        return new EntityDefinition
        {
            Name = "contact",
            PluralName = "contacts",
            Labels = LocalizedText.Of("Contact", "联系人"),
            Fields = [Field("name", FieldType.Text) with { Required = true }, Field("email", FieldType.Email), Field("language", FieldType.Text)],
        };
    }

    private static IEnumerable<IReadOnlyDictionary<string, object?>> People()
    {
        for (var i = 0; i < Contacts; i++)
        {
            yield return new Dictionary<string, object?> { ["name"] = $"Person {i}", ["email"] = $"person{i}@example.cn", ["language"] = "en" };
        }
    }
}
