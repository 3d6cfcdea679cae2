using Agents.VmAgent.Core;
using Agents.VmAgent.Core.Client;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Logging;
using PasswordOnlyAgent;

// usage: PasswordOnlyAgent <router-address> <ca.pem> <data-dir> [sandbox-root]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: PasswordOnlyAgent <router-address> <ca.pem> <data-dir> [sandbox-root]");
    return 2;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var log = new ConsoleAgentLog();
var options = new AgentClientOptions { RouterAddresses = [args[0]], DataDirectory = args[2] };
var agent = PasswordOnly.Create(options, TrustAnchor.FromPemFile(args[1]), AgentFactory.GuestOsFor(args.Length > 3 ? args[3] : null), log);
await agent.RunAsync(stop.Token);
return 0;
