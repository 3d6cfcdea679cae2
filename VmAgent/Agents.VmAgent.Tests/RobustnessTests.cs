using System.Net;
using System.Net.Sockets;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.Security.Identity;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

public sealed class RobustnessTests : TempPkiTest
{


    [Fact]
    public async Task garbage_truncated_and_oversized_frames_from_a_router_leave_the_agent_running_and_reconnecting()
    {
        await using var router = new HostileRouter(Pki);
        var dir = Temp.Sub("a");
        Pki.EnrollAgent(Path.Combine(dir, "data"), "vm-a");
        await using var agent = new TestAgent(dir, Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], router.Port, token: null);

        await Eventually.TrueAsync(() => router.Connections >= 7, "the agent to keep reconnecting after each bad frame");

        Assert.True(agent.IsRunning);
        Assert.True(agent.Log.Contains("malformed frame"), agent.Log.All);
        Assert.True(agent.Log.Contains("exceeds the limit"), agent.Log.All);
        Assert.True(agent.Log.Contains("closed after 10 of 100 frame bytes"), agent.Log.All);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("oversized")]
    public async Task a_bad_frame_closes_only_that_connection_and_the_listener_keeps_serving(string kind)
    {
        await using var bridge = new TestBridge(Pki);
        var bad = kind switch { "garbage" => RawTls.Garbage(), "truncated" => RawTls.Truncated(), _ => RawTls.Oversized() };
        using var impostorCert = Pki.IssueWithKey(HolderIdentity.Vm("vm-x"));

        foreach (var cert in new[] { impostorCert, null })
        {
            await using var raw = await RawTls.ConnectAsync(bridge.Port, cert);
            await raw.WriteAsync(bad);
            await raw.FlushAsync();
            if (kind == "truncated") raw.Close();
            else Assert.IsType<ErrorFrame>(await new FrameCodec().ReadAsync(raw, default));
        }

        await using var agent = new TestAgent(Temp.Sub("a"), Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, bridge.Relay.TokenFor("vm-a"));
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-a"), "a good agent to connect after the bad frames");
        Assert.False(bridge.Registry.IsConnected("vm-x"));
    }

    [Fact]
    public async Task a_connection_without_a_certificate_may_only_enroll()
    {
        await using var bridge = new TestBridge(Pki);
        await using var raw = await RawTls.ConnectAsync(bridge.Port, clientCertificate: null);
        var codec = new FrameCodec();

        await codec.WriteAsync(raw, new HelloFrame(1, "evil", ["ResetVmPassword"]), default);

        var answer = Assert.IsType<ErrorFrame>(await codec.ReadAsync(raw, default));
        Assert.Contains("only enroll", answer.Reason, StringComparison.Ordinal);
        Assert.Equal(0, bridge.Registry.Count);
    }

    [Fact]
    public async Task a_stalled_handshake_is_closed_by_the_listener()
    {
        await using var bridge = new TestBridge(Pki);
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, bridge.Port);

        var read = await tcp.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(8));

        Assert.Equal(0, read);
        await Eventually.TrueAsync(() => bridge.Log.Contains("took longer than"), "the stalled handshake to be logged");
    }

    [Fact]
    public async Task a_certificate_naming_a_router_instead_of_a_vm_gets_no_session()
    {
        await using var bridge = new TestBridge(Pki);
        using var routerCert = Pki.IssueWithKey(HolderIdentity.Router("r-2"));
        await using var raw = await RawTls.ConnectAsync(bridge.Port, routerCert);
        var codec = new FrameCodec();
        await codec.WriteAsync(raw, new HelloFrame(1, "x", []), default);

        var answer = Assert.IsType<ErrorFrame>(await codec.ReadAsync(raw, default));
        Assert.Contains("names no VM", answer.Reason, StringComparison.Ordinal);
        Assert.Equal(0, bridge.Registry.Count);
    }
}
