using System.Buffers;
using System.Globalization;
using System.Text;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Agents.MailSink;

/// <summary>
/// Saves each message as one .eml file (written to a hidden temp name, then renamed, so a reader
/// never sees half a message), headed by what the server saw: <c>X-Envelope-From</c>,
/// <c>X-Envelope-To</c>, and on a server with TLS or a login <c>X-Tls</c> and <c>X-Authenticated-As</c>.
/// </summary>
public sealed class DirectoryMessageStore(MailSinkOptions options) : MessageStore
{
    private long _received;

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transaction);
        var headers = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"X-Envelope-From: {transaction.From.AsAddress()}\r\n")
            .Append(CultureInfo.InvariantCulture, $"X-Envelope-To: {string.Join(", ", transaction.To.Select(to => to.AsAddress()))}\r\n");
        if (options.Tls != MailSinkTls.None || options.User is not null)
            headers.Append(CultureInfo.InvariantCulture, $"X-Authenticated-As: {context.Authentication.User}\r\n")
                .Append(CultureInfo.InvariantCulture, $"X-Tls: {(context.Pipe.IsSecure ? "yes" : "no")}\r\n");

        // names sort in the order received: the time to 100 ns, then this process's count
        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfffffff}-{Interlocked.Increment(ref _received):D6}.eml");
        var temp = Path.Combine(options.Directory, "." + name);
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes(headers.ToString()), cancellationToken).ConfigureAwait(false);
            foreach (var segment in buffer) await file.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }
        File.Move(temp, Path.Combine(options.Directory, name));
        return SmtpResponse.Ok;
    }
}
