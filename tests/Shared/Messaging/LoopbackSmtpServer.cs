using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CrmEngine.Testing.Messaging;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port: it keeps every message it accepts,
/// parsed with MimeKit, and answers each DATA with the reply codes a test queues (250 once they run out),
/// so a test can play a server that fails transiently (4xx) or refuses (5xx); addresses in
/// <see cref="RefusedRecipients"/> are refused at RCPT (550 mailbox unavailable), as a server refuses
/// a mailbox it doesn't have.
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private readonly Task _running;
    private int _accepted;

    private LoopbackSmtpServer(int port, bool keep)
    {
        Port = port;
        Keep = keep;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        services.Add((IMailboxFilter)new Mailboxes(this));
        // Replies to pipelined commands go out at once, as a production MTA's do (see the factory).
        services.Add((SmtpServer.Net.IEndpointListenerFactory)new CrmEngine.Inbound.Smtp.NoDelayEndpointListenerFactory());
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Whether accepted messages are kept and parsed (off for the benchmark, which only counts them).</summary>
    public bool Keep { get; }

    public int AcceptedCount => _accepted;

    /// <summary>Recipient addresses refused at RCPT (case-insensitive).</summary>
    public ConcurrentDictionary<string, bool> RefusedRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<MimeMessage> Received => [.. _received];

    /// <summary>Every DATA is answered with this code from now on until cleared (null); queued answers go first.</summary>
    public int? AlwaysAnswer { get; set; }

    public static LoopbackSmtpServer Start(bool keep = true)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new LoopbackSmtpServer(port, keep);
    }

    /// <summary>Queues the reply codes the next messages get, in order (e.g. 451, then 250).</summary>
    public void AnswerWith(params int[] codes)
    {
        foreach (var code in codes)
        {
            _answers.Enqueue(code);
        }
    }

    /// <summary>The accepted messages once there are <paramref name="count"/> (at most 20 s).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_accepted < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Mailboxes(LoopbackSmtpServer server) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!server.RefusedRecipients.ContainsKey(to.User + "@" + to.Host));
    }

    private sealed class Store(LoopbackSmtpServer server) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var code = server._answers.TryDequeue(out var queued) ? queued : server.AlwaysAnswer ?? 250;
            if (code != 250)
            {
                return Task.FromResult(new SmtpResponse((SmtpReplyCode)code, code >= 500 ? "mailbox unavailable" : "try again later"));
            }

            if (server.Keep)
            {
                using var stream = new MemoryStream(buffer.ToArray());
                server._received.Enqueue(MimeMessage.Load(stream, cancellationToken));
            }

            var n = Interlocked.Increment(ref server._accepted);
            return Task.FromResult(new SmtpResponse(SmtpReplyCode.Ok, $"queued as Q{n}"));
        }
    }
}
