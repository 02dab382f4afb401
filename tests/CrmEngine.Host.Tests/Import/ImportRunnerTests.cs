using CrmEngine.Import;
using CrmEngine.Import.Jobs;
using Microsoft.Extensions.Options;

namespace CrmEngine.Host.Tests.Import;

/// <summary>The import runner as a hosted service, whose host may dispose it before stopping it.</summary>
public sealed class ImportRunnerTests
{
    [Fact]
    public async Task A_runner_disposed_before_its_host_stops_it_stops_without_an_error()
    {
        // Seen when a test tore several hosts down: StopAsync threw ObjectDisposedException.
        var runner = new ImportRunner(Options.Create(new ImportOptions()));
        runner.Dispose();
        await runner.StopAsync(CancellationToken.None);
    }
}
