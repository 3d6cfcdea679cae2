using System.Diagnostics;
using System.Globalization;

namespace Agents.ReliabilityTests.Support;

/// <summary>Sends a signal (STOP, CONT, KILL) to a process, e.g. the broker's Erlang VM, and checks that it was delivered.</summary>
public static class BrokerSignal
{
    public static void Send(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
