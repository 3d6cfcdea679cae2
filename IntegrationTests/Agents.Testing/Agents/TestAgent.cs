using Agents.VmAgent.Core;
using Agents.VmAgent.Core.Client;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Core.Policy;

namespace Agents.Testing;

/// <summary>An agent from VmAgent.Core running in the background against a sandbox directory.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public TestAgent(string directory, string caPemPath, IReadOnlyList<string> routers, int port, string? token, AgentPolicy? policy = null, TimeSpan? heartbeat = null,
        string? healthChecksDirectory = null)
    {
        Directory = directory;
        Log = new TestLog("agent");
        Sandbox = new SandboxGuestOs(Path.Combine(directory, "sandbox"));
        var options = new AgentClientOptions
        {
            RouterAddresses = routers,
            Port = port,
            DataDirectory = Path.Combine(directory, "data"),
            EnrollmentToken = token,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(30),
        };
        Client = AgentFactory.CreateStandard(options, policy ?? TestPolicies.Everything, Sandbox, TrustAnchor.FromPemFile(caPemPath), Log,
            recipeDirectory: Path.Combine(directory, "recipes"), healthChecksDirectory: healthChecksDirectory);
        _run = Task.Run(() => Client.RunAsync(_stop.Token));
    }

    public string Directory { get; }
    public TestLog Log { get; }
    public SandboxGuestOs Sandbox { get; }
    public AgentClient Client { get; }
    public string DataDirectory => Path.Combine(Directory, "data");
    public bool IsRunning => !_run.IsCompleted;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
