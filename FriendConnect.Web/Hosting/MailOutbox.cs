using System.Threading.Channels;

namespace FriendConnect.Web.Hosting;

/// <summary>
/// Account mail leaves from here, one at a time, off the request that asked for it: a slow or unreachable SMTP server
/// never holds up a page, and a page's answer never depends on whether a mail was due. Mail still queued when the
/// process stops is not sent; the person asks again.
/// </summary>
public sealed class MailOutbox(IServiceScopeFactory scopes, SmtpEmailSender sender, ILogger<MailOutbox> logger) : BackgroundService
{
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite,
    });

    public void Enqueue(AccountMail mail) => Write(mail);

    public void Enqueue(MailJob job) => Write(job);

    private void Write(object item)
    {
        if (!_queue.Writer.TryWrite(item)) logger.LogWarning("The mail queue is full; a mail was not sent.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var mail = item as AccountMail;
                if (item is MailJob job)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    mail = await scope.ServiceProvider.GetRequiredService<AccountEmails>().ComposeAsync(job, logger);
                }
                if (mail is not null) await sender.SendAsync(mail, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "An account mail could not be sent.");
            }
        }
    }
}
