using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Settings;

namespace Agents.VmAgent.Hosting;

/// <summary>
/// Runs the agent under the Windows service control manager with three advapi32 calls, so the
/// trimmed binary needs neither the generic host nor System.ServiceProcess. Logs go to
/// DATA-DIR\agent.log (a service has no console).
/// </summary>
[SupportedOSPlatform("windows")]
internal static unsafe partial class WindowsService
{
    public const string ServiceName = "AgentsVmAgent";
    private const uint OwnProcess = 0x10, Stopped = 1, StartPending = 2, StopPending = 3, Running = 4;
    private const uint AcceptStop = 0x1, AcceptShutdown = 0x4, ControlStop = 1, ControlShutdown = 5, ControlInterrogate = 4;

    private static readonly CancellationTokenSource Stop = new();
    private static AgentConfiguration? _config;
    private static nint _statusHandle;
    private static int _exitCode;

    public static int Run(AgentConfiguration config)
    {
        _config = config;
        var name = Marshal.StringToHGlobalUni(ServiceName);
        try
        {
            var table = stackalloc ServiceTableEntry[2];
            table[0] = new ServiceTableEntry { Name = name, Main = &ServiceMain };
            table[1] = default;
            if (!StartServiceCtrlDispatcherW(table))
            {
                Console.Error.WriteLine($"--service: not started by the service control manager (error {Marshal.GetLastPInvokeError()}); run without --service in a console");
                return 1;
            }
            return _exitCode;
        }
        finally
        {
            Marshal.FreeHGlobal(name);
        }
    }

    [UnmanagedCallersOnly]
    private static void ServiceMain(uint argc, nint argv)
    {
        var config = _config!;
        var name = Marshal.StringToHGlobalUni(ServiceName);
        _statusHandle = RegisterServiceCtrlHandlerExW(name, &Control, 0);
        Marshal.FreeHGlobal(name);
        Report(StartPending, 0);
        using var logFile = OpenLog(config.Client.DataDirectory);
        Console.SetError(logFile);
        var log = new ConsoleAgentLog(config.LogLevel);
        Report(Running, 0);
        try
        {
            _exitCode = AgentRunner.RunAsync(config, log, Stop.Token).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // report the failure to the service manager instead of vanishing
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.Error(e, "agent stopped by an unexpected error");
            _exitCode = 1;
        }
        Report(Stopped, (uint)_exitCode);
    }

    [UnmanagedCallersOnly]
    private static uint Control(uint control, uint eventType, nint eventData, nint context)
    {
        switch (control)
        {
            case ControlStop or ControlShutdown:
                Report(StopPending, 0);
                Stop.Cancel();
                return 0;
            case ControlInterrogate:
                return 0;
            default:
                return 120; // ERROR_CALL_NOT_IMPLEMENTED
        }
    }

    private static StreamWriter OpenLog(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "agent.log");
        // one generation kept: the service must never fill the disk
        if (File.Exists(path) && new FileInfo(path).Length > 10 * 1024 * 1024) File.Move(path, path + ".1", overwrite: true);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    private static void Report(uint state, uint exitCode)
    {
        var status = new ServiceStatus
        {
            ServiceType = OwnProcess,
            CurrentState = state,
            ControlsAccepted = state == Running ? AcceptStop | AcceptShutdown : 0,
            Win32ExitCode = exitCode == 0 ? 0u : 1066u, // ERROR_SERVICE_SPECIFIC_ERROR
            ServiceSpecificExitCode = exitCode,
            WaitHint = state is StartPending or StopPending ? 30_000u : 0,
        };
        SetServiceStatus(_statusHandle, &status);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ServiceTableEntry
    {
        public nint Name;
        public delegate* unmanaged<uint, nint, void> Main;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ServiceStatus
    {
        public uint ServiceType, CurrentState, ControlsAccepted, Win32ExitCode, ServiceSpecificExitCode, CheckPoint, WaitHint;
    }

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool StartServiceCtrlDispatcherW(ServiceTableEntry* table);

    [LibraryImport("advapi32.dll", SetLastError = true)]
    private static partial nint RegisterServiceCtrlHandlerExW(nint serviceName, delegate* unmanaged<uint, uint, nint, nint, uint> handler, nint context);

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetServiceStatus(nint handle, ServiceStatus* status);
}
