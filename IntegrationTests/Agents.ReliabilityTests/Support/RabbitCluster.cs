using Agents.Testing;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// Three private RabbitMQ nodes on this machine joined into one cluster with rabbitmqctl
/// join_cluster: one epmd and one Erlang cookie (a shared HOME) for all, broker-config's
/// definitions (users, policies, topology) loaded by the first node and shared by the cluster.
/// </summary>
public sealed class RabbitCluster : IAsyncDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory(RabbitMqNode.TempPrefix + "cluster-home-").FullName;

    public RabbitCluster(int size = 3)
    {
        var epmd = FreePort.Next();
        var tag = Guid.NewGuid().ToString("N")[..6];
        Nodes = Enumerable.Range(1, size)
            .Select(i => new RestartableNode(new RabbitMqNodeOptions { NodeName = $"rel{i}-{tag}@localhost", EpmdPort = epmd, HomeDirectory = _home }))
            .ToList();
    }

    public IReadOnlyList<RestartableNode> Nodes { get; }

    public RestartableNode Seed => Nodes[0];

    public RestartableNode Node(string nodeName) => Nodes.Single(n => n.NodeName == nodeName);

    public async Task StartAsync()
    {
        // one cookie for all, written before any node starts, so the three can boot at once
        var cookie = Path.Combine(_home, ".erlang.cookie");
        await File.WriteAllTextAsync(cookie, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        await Task.WhenAll(Nodes.Select(n => n.StartAsync()));
        foreach (var node in Nodes.Skip(1))
        {
            await node.CtlAsync("stop_app");
            await node.CtlAsync("reset");
            await node.CtlAsync("join_cluster", Seed.NodeName);
            await node.CtlAsync("start_app");
        }
        var status = await Seed.CtlAsync("cluster_status", "--formatter", "json");
        foreach (var node in Nodes)
        {
            if (!status.Contains(node.NodeName, StringComparison.Ordinal))
                throw new InvalidOperationException($"{node.NodeName} is not in the cluster: {status}");
        }
    }

    /// <summary>rabbitmqctl against any node that is up.</summary>
    public Task<string> CtlAsync(params string[] args) => Nodes.First(n => n.IsRunning).CtlAsync(args);

    /// <summary>The quorum queue's leader and its members that are online, as the broker reports them.</summary>
    public async Task<(string Leader, string[] Online)> QuorumStateAsync(string queue)
    {
        var output = await CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "leader", "online");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length == 3 && parts[0] == queue)
                return (parts[1].Trim(), parts[2].Trim('[', ']', ' ').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        throw new InvalidOperationException($"queue {queue} not listed:\n{output}");
    }

    public async ValueTask DisposeAsync()
    {
        // the seed last: its stop ends the shared epmd
        await Task.WhenAll(Nodes.Skip(1).Select(n => n.DisposeAsync().AsTask()));
        await Seed.DisposeAsync();
        try { Directory.Delete(_home, recursive: true); }
        catch (IOException) { }
    }
}
