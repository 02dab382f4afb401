using CrmEngine.Engine.Coordination;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>
/// LISTENs on <c>crm_changes</c> with a connection of its own and hands other hosts' events to
/// this host's handlers. Notifications sent while it was not listening are lost (PostgreSQL keeps
/// none for absent listeners), so every time it starts listening, it dispatches
/// <see cref="ChangeKinds.Resync"/> and this host lets go of everything it had cached.
/// </summary>
public sealed class PostgresChangeListener(PostgresServers servers, ChangeFeed feed, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this host listens (tests wait on it before expecting other hosts' events).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for other hosts' changes failed; reconnecting in {Delay}.", Reconnect);
                await Task.Delay(Reconnect, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(servers.Get(PostgresServers.Default))
        {
            // Idle LISTEN connections must notice a dead server or network, not wait forever.
            KeepAlive = 15,
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        var received = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });
        connection.Notification += (_, e) => received.Writer.TryWrite(e.Payload);
        await PostgresSql.ExecuteAsync(connection, "LISTEN " + PostgresChangeTransport.Channel, [], stoppingToken);
        await feed.DispatchAsync(new ChangeEvent(ChangeKinds.Resync), stoppingToken);
        _listening.TrySetResult();

        // Notifications arrive while the connection waits; they are handled off its thread, in order.
        var handling = HandleAsync(received.Reader, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }
        finally
        {
            received.Writer.TryComplete();
            await handling;
        }
    }

    private async Task HandleAsync(System.Threading.Channels.ChannelReader<string> payloads, CancellationToken stoppingToken)
    {
        await foreach (var payload in payloads.ReadAllAsync(CancellationToken.None))
        {
            if (ChangeMessage.Read(payload) is not ({ } origin, { } change) || origin == feed.Origin)
            {
                continue;
            }

            try
            {
                await feed.DispatchAsync(change, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
