namespace Agents.Consumers.Alerts;

public interface IMailSender
{
    Task SendAsync(OutboxMail mail, CancellationToken ct);
}
