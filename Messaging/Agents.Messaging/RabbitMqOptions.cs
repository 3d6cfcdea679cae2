using System.ComponentModel.DataAnnotations;

namespace Agents.Messaging;

/// <summary>How a service reaches the broker. Bound from the configuration section <c>RabbitMq</c>.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>amqp://user:password@host:port/vhost (amqps:// for TLS). The password is never logged.</summary>
    [Required]
    public string Uri { get; set; } = "amqp://guest:guest@localhost:5672/";

    /// <summary>Shown in the management UI and <c>rabbitmqctl list_connections client_properties</c>.</summary>
    [Required]
    public string ConnectionName { get; set; } = "agents";

    /// <summary>Unacknowledged deliveries a consumer may hold.</summary>
    [Range(1, 10_000)]
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>Publisher confirms awaited at once: the size of the confirming channel pool.</summary>
    [Range(1, 256)]
    public int MaxOutstandingConfirms { get; set; } = 16;

    /// <summary>
    /// Longest wait for one publisher confirm. Past it the publish is sent again on a fresh channel:
    /// RabbitMQ.Client 7.1.2 can leave a confirm pending for ever after the broker dies (SIGKILL).
    /// </summary>
    [Range(1, 3600)]
    public int PublishConfirmTimeoutSeconds { get; set; } = 30;

    /// <summary>Longest pause between two reconnection attempts.</summary>
    [Range(1, 300)]
    public int MaxReconnectDelaySeconds { get; set; } = 15;

    /// <summary>The broker user named in <see cref="Uri"/>; null when it names none (e.g. EXTERNAL authentication).</summary>
    public string? UserName()
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0) return null;
        var user = System.Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);
        return user.Length > 0 ? user : null;
    }

    /// <summary>The URI with its password masked, for logs.</summary>
    public string RedactedUri()
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri)) return "(invalid uri)";
        var user = uri.UserInfo.Split(':')[0];
        return $"{uri.Scheme}://{(user.Length > 0 ? user + ":***@" : "")}{uri.Host}:{uri.Port}{uri.AbsolutePath}";
    }
}
