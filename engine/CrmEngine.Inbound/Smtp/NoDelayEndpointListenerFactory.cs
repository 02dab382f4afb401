using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace CrmEngine.Inbound.Smtp;

/// <summary>
/// The SmtpServer package's listener with Nagle's algorithm off on accepted connections. The
/// package writes each reply as its own small segment; a client that pipelines (MailKit does when
/// the server offers PIPELINING) sends MAIL, RCPT and DATA at once and waits for all three replies,
/// so the second reply sat in the kernel until the client's delayed acknowledgement, some 40 ms on
/// Linux, for every message. The package's own listener and pipe are internal, hence this copy of
/// what they do (accept, note the endpoints, a pipe over the stream that STARTTLS can upgrade).
/// </summary>
public sealed class NoDelayEndpointListenerFactory : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        ArgumentNullException.ThrowIfNull(endpointDefinition);
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        return new Listener(listener);
    }

    private sealed class Listener(TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            client.NoDelay = true;
            context.Properties[EndpointListener.LocalEndPointKey] = client.Client.LocalEndPoint!;
            context.Properties[EndpointListener.RemoteEndPointKey] = client.Client.RemoteEndPoint!;
            return new StreamPipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    private sealed class StreamPipe : ISecurableDuplexPipe
    {
        private readonly TcpClient _client;
        private Stream _stream;

        public StreamPipe(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
            Open();
        }

        public PipeReader Input { get; private set; } = null!;

        public PipeWriter Output { get; private set; } = null!;

        public bool IsSecure => _stream is SslStream;

        public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

        public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocols }, cancellationToken);
            _stream = tls;
            Open();
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }

        private void Open()
        {
            Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
            Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        }
    }
}
