using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Agents.Contracts.Commands;
using Agents.Security.Identity;
using Agents.VmAgent.Core;
using Agents.VmAgent.Core.Client;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Core.Policy;

namespace Agents.Testing;

/// <summary>
/// Many real agents (VmAgent.Core's AgentClient with the standard handlers, a sandbox OS and a
/// journal each) in this process, each with its own certificate naming its VM, connected over
/// mutual TLS to one bridge. Identities are issued once per VM and kept across fleets.
/// With <paramref name="sandboxPerAgent"/> each agent is its own pretend VM (its own sandbox root,
/// so its own etc/shadow); otherwise they share one. Several fleets at once give each its own
/// <paramref name="vmIdPrefix"/>, so their VM ids differ.
/// </summary>
public sealed class AgentFleet(TestPki pki, string directory, int bridgePort, bool sandboxPerAgent = false, string vmIdPrefix = "vm-") : IAsyncDisposable
{
    /// <summary>The no-op recipe every agent's policy allows by its sha256.</summary>
    public const string Recipe = "noop";
    private static readonly byte[] RecipeBytes = Encoding.UTF8.GetBytes("#!/bin/sh\nexit 0\n");

    private readonly CancellationTokenSource _stop = new();
    private readonly List<(AgentClient Client, Task Run)> _agents = [];
    private readonly TrustAnchor _trust = new(pki.Root);
    private readonly IGuestOs _os = new SandboxGuestOs(Directory.CreateDirectory(Path.Combine(directory, "sandbox")).FullName);
    private readonly string _recipes = WriteRecipe(directory);
    private readonly AgentPolicy _policy = Policy;

    /// <summary>The agents' local policy: the no-op recipe by its sha256, SSH key and password resets (privileged, but in the sandbox).</summary>
    public static AgentPolicy Policy { get; } = new([CommandTypes.RunRecipe, CommandTypes.ResetVmSshKey,
        CommandTypes.ResetVmPassword],
        [new RecipePolicy(Recipe, Convert.ToHexStringLower(SHA256.HashData(RecipeBytes)))], Privileged: true);

    public int Count => _agents.Count;

    /// <summary>The VM id of agent <paramref name="index"/> of a fleet with the default prefix.</summary>
    public static string VmId(int index) => $"vm-{index:D5}";

    /// <summary>The VM id of this fleet's agent <paramref name="index"/>.</summary>
    public string IdOf(int index) => $"{vmIdPrefix}{index:D5}";

    public int Connected => _agents.Count(a => a.Client.IsConnected);

    /// <summary>Starts agents until there are <paramref name="total"/>, in waves so handshakes do not all time out at once.</summary>
    public async Task GrowToAsync(int total, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        const int Wave = 250;
        while (_agents.Count < total)
        {
            var from = _agents.Count;
            var to = Math.Min(total, from + Wave);
            Parallel.For(from, to, EnsureIdentity);
            for (var i = from; i < to; i++) Start(i);
            await WaitConnectedAsync(to, deadline);
        }
        await WaitConnectedAsync(total, deadline);
    }

    private async Task WaitConnectedAsync(int count, DateTime deadline)
    {
        while (Connected < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                var error = _agents.Select(a => a.Client.LastError).FirstOrDefault(e => e is not null);
                throw new TimeoutException($"only {Connected} of {count} agents connected (last error: {error ?? "none"})");
            }
            await Task.Delay(100);
        }
    }

    private void Start(int index)
    {
        var options = new AgentClientOptions
        {
            RouterAddresses = ["127.0.0.1"],
            Port = bridgePort,
            DataDirectory = DataDirectory(index),
            InitialBackoff = TimeSpan.FromMilliseconds(200),
            MaxBackoff = TimeSpan.FromSeconds(2),
            HandshakeTimeout = TimeSpan.FromSeconds(30),
        };
        var os = sandboxPerAgent ? new SandboxGuestOs(Directory.CreateDirectory(SandboxRoot(index)).FullName) : _os;
        var client = AgentFactory.CreateStandard(options, _policy, os, _trust, NullAgentLog.Instance, _recipes);
        _agents.Add((client, Task.Run(() => client.RunAsync(_stop.Token))));
    }

    private string DataDirectory(int index) => Path.Combine(directory, "agents", IdOf(index));

    /// <summary>The pretend VM of agent <paramref name="index"/> (with sandboxPerAgent).</summary>
    public string SandboxRoot(int index) => Path.Combine(DataDirectory(index), "sandbox");

    /// <summary>The certificate agent <paramref name="index"/> holds (what the CA would hand the API to seal a secret to).</summary>
    public X509Certificate2 Certificate(int index) => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(DataDirectory(index), "agent.crt")));

    /// <summary>Identities are issued once per VM and kept across fleets.</summary>
    private void EnsureIdentity(int index)
    {
        if (!File.Exists(Path.Combine(DataDirectory(index), "agent.crt"))) pki.EnrollAgent(DataDirectory(index), IdOf(index));
    }

    public static string WriteRecipe(string directory)
    {
        var recipes = Directory.CreateDirectory(Path.Combine(directory, "recipes")).FullName;
        File.WriteAllBytes(Path.Combine(recipes, Recipe + ".sh"), RecipeBytes);
        return recipes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_agents.Select(a => a.Run)).WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { Console.WriteLine("  (some agents did not stop within 30 s)"); }
        _stop.Dispose();
    }
}
