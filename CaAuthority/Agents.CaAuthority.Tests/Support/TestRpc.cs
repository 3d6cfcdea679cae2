using Agents.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.CaAuthority.Tests.Support;

public static class TestRpc
{
    /// <summary>A request client on its own connection, wired as a service wires it; added to <paramref name="owned"/> for disposal.</summary>
    public static IRequestClient Connect(string amqpUri, string name, ICollection<IAsyncDisposable> owned)
    {
        var services = new ServiceCollection().AddLogging()
            .AddRabbitMqMessaging(o => (o.Uri, o.ConnectionName) = (amqpUri, name))
            .BuildServiceProvider();
        owned.Add(services);
        return services.GetRequiredService<IRequestClient>();
    }
}
