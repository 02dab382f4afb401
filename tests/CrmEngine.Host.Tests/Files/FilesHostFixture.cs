using CrmEngine.Engine.Tenancy;
using CrmEngine.Files.Storage;
using CrmEngine.Host.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmEngine.Host.Tests.Files;

/// <summary>
/// A host whose files are kept on local disk (<see cref="LocalDiskFilesFixture"/>) or on a local
/// S3-compatible server (<see cref="S3FilesFixture"/>), with a small size limit and a clock the tests
/// move (download links expire by it).
/// </summary>
public abstract class FilesHostFixture : IDisposable
{
    /// <summary>The size limit of these hosts' tenants.</summary>
    public const int MaxFileBytes = 64 * 1024;

    protected FilesHostFixture(IDictionary<string, string?> storage)
    {
        var settings = new Dictionary<string, string?>(storage) { ["Crm:Files:Limits:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Host = new CrmHost(settings: settings) { ConfigureTestServices = services => services.AddSingleton<TimeProvider>(Time) };
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public CrmHost Host { get; }

    /// <summary>The ids of the files the storage holds for a tenant.</summary>
    public async Task<List<Guid>> StoredAsync(string tenantId)
    {
        var stored = new List<Guid>();
        await foreach (var id in Host.Service<IFileStorage>().ListAsync(tenantId, CancellationToken.None))
        {
            stored.Add(id);
        }

        return stored;
    }

    /// <summary>The tenant's file metadata rows, deleted ones too.</summary>
    public async Task<List<FileRow>> RowsAsync(string tenantId)
    {
        var store = await Host.Service<TenantRegistry>().GetAsync(tenantId, CancellationToken.None);
        await using var context = store.Current.CreateContext();
        return await context.Set<FileRow>().AsNoTracking().ToListAsync();
    }

    /// <summary>Waits, at most 15 s, for work the host does when it hears of a change.</summary>
    public async Task<bool> EventuallyAsync(Func<Task<bool>> done)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (await done())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Uploads still waiting on the staging disk (a refused or finished request leaves none).</summary>
    public IEnumerable<string> Staged()
    {
        var staging = LocalFileStorage.StagingDirectory(Host.Service<DataDirectory>());
        return Directory.Exists(staging) ? Directory.EnumerateFiles(staging) : [];
    }

    public virtual void Dispose()
    {
        Host.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Files on local disk, the default.</summary>
public sealed class LocalDiskFilesFixture() : FilesHostFixture(new Dictionary<string, string?>());

/// <summary>Files on s3rver (npm's S3-compatible server, installed in tests/S3Server), started here with node.</summary>
public sealed class S3FilesFixture : FilesHostFixture
{
    private readonly ChildProcess _server;
    private readonly string _directory;

    public S3FilesFixture()
        : this(ChildProcess.FreePort())
    {
    }

    private S3FilesFixture(int port)
        : base(new Dictionary<string, string?>
        {
            ["Crm:Files:Storage"] = "s3",
            ["Crm:Files:S3:ServiceUrl"] = $"http://127.0.0.1:{port}",
            ["Crm:Files:S3:Bucket"] = "crm-test-files",
            ["Crm:Files:S3:AccessKey"] = "S3RVER",
            ["Crm:Files:S3:SecretKey"] = "S3RVER",
        })
    {
        _directory = Directory.CreateTempSubdirectory("crm-s3rver-").FullName;
        var server = Path.Combine(Repository.Root, "tests", "S3Server", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(server))
        {
            throw new InvalidOperationException("s3rver is not installed: run `npm ci` in tests/S3Server (.ci/run does).");
        }

        _server = ChildProcess.Start("node", [server, "-d", _directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"], _directory);
        WaitForPort(port);
    }

    public override void Dispose()
    {
        base.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    private void WaitForPort(int port)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException("s3rver stopped: " + _server.Error);
            }

            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException("s3rver did not start listening within 30 s.");
    }
}
