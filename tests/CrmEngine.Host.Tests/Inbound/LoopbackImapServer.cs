using System.Globalization;
using CrmEngine.Host.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace CrmEngine.Host.Tests.Inbound;

/// <summary>
/// A real IMAP server for the polling tests: Debian's Dovecot (package dovecot-imapd, which .ci/run
/// installs), started here with a configuration of its own on a loopback port, plain-text logins,
/// any user name with the password <see cref="Password"/>, mail in a temporary folder. Run as root it
/// drops to Dovecot's own users, as the package sets them up; run as anyone else it stays that user.
/// </summary>
public sealed class LoopbackImapServer : IDisposable
{
    public const string Password = "secret";

    private readonly string _directory;
    private readonly ChildProcess _server;

    public LoopbackImapServer()
    {
        _directory = Directory.CreateTempSubdirectory("crm-dovecot-").FullName;
        // Dovecot's own users go through it to the mail.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        Port = ChildProcess.FreePort();
        var mail = Path.Combine(_directory, "mail");
        Directory.CreateDirectory(mail);
        Directory.CreateDirectory(Path.Combine(_directory, "run", "state"));
        var root = Environment.UserName == "root";
        var (user, group, login) = root ? ("dovecot", "dovecot", "dovenull") : (Environment.UserName, Environment.UserName, Environment.UserName);
        if (root)
        {
            // The mail is written as Dovecot's user, which Dovecot insists is not root.
            ChildProcess.RunAsync("chown", ["dovecot:dovecot", mail], _directory, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }

        var config = Path.Combine(_directory, "dovecot.conf");
        File.WriteAllText(config, $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{_directory}}/run
            state_dir = {{_directory}}/run/state
            log_path = {{_directory}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            first_valid_uid = 1
            first_valid_gid = 1
            mail_location = maildir:{{mail}}/%u
            default_internal_user = {{user}}
            default_internal_group = {{group}}
            default_login_user = {{login}}
            passdb {
              driver = static
              args = password={{Password}}
            }
            userdb {
              driver = static
              args = uid={{user}} gid={{group}} home={{mail}}/%u
            }
            service imap-login {
              inet_listener imap {
                port = {{Port.ToString(CultureInfo.InvariantCulture)}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """);
        var dovecot = File.Exists("/usr/sbin/dovecot") ? "/usr/sbin/dovecot" : "dovecot";
        _server = ChildProcess.Start(dovecot, ["-F", "-c", config], _directory);
        WaitUntilItAnswers();
    }

    public int Port { get; }

    /// <summary>Puts messages into <paramref name="user"/>'s INBOX, as mail arriving there; their UIDs.</summary>
    public async Task<IReadOnlyList<uint>> DeliverAsync(string user, params MimeMessage[] messages)
    {
        using var client = await ConnectAsync(user);
        var inbox = client.Inbox;
        var uids = new List<uint>();
        foreach (var message in messages)
        {
            uids.Add((await inbox.AppendAsync(message, MessageFlags.None))!.Value.Id);
        }

        await client.DisconnectAsync(true);
        return uids;
    }

    public async Task<ImapClient> ConnectAsync(string user)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, Password);
        return client;
    }

    public void Dispose()
    {
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    private void WaitUntilItAnswers()
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException("Dovecot stopped (is dovecot-imapd installed? .ci/run installs it): " + _server.Error + ReadLog());
            }

            try
            {
                using var client = ConnectAsync("probe").GetAwaiter().GetResult();
                return;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ImapProtocolException or AuthenticationException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException("Dovecot did not answer within 30 s: " + ReadLog());
    }

    private string ReadLog()
    {
        var log = Path.Combine(_directory, "dovecot.log");
        return File.Exists(log) ? File.ReadAllText(log) : string.Empty;
    }
}
