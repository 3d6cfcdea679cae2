using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Agents.VmAgent.Core.Logging;

namespace Agents.VmAgent.Core.Client;

/// <summary>
/// Turns the configured router addresses into endpoints; with none configured, finds the router as
/// CloudStack's guest password scripts do: the DHCP server from the leases, then the default
/// gateway, then the name <c>data-server</c>.
/// </summary>
public static class RouterEndpoints
{
    public const string FallbackName = "data-server";

    public static async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(AgentClientOptions options, IAgentLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = options.RouterAddresses.Count > 0 ? options.RouterAddresses : Discover();
        var endpoints = new List<IPEndPoint>();
        foreach (var name in names)
        {
            if (IPEndPoint.TryParse(name, out var literal) && (literal.Port != 0 || IPAddress.TryParse(name, out _)))
            {
                endpoints.Add(new IPEndPoint(literal.Address, literal.Port == 0 ? options.Port : literal.Port));
                continue;
            }
            try
            {
                foreach (var address in await Dns.GetHostAddressesAsync(name, ct).ConfigureAwait(false))
                    endpoints.Add(new IPEndPoint(address, options.Port));
            }
            catch (SocketException e)
            {
                log.Warn("router address '{RouterAddress}' does not resolve: {Reason}", name, e.Message);
            }
        }
        return endpoints;
    }

    public static IReadOnlyList<string> Discover()
    {
        var found = new List<string>();
        found.AddRange(DhcpServersFromLeases());
        if (OperatingSystem.IsWindows()) found.AddRange(WindowsDhcpServers());
        found.AddRange(InterfaceAddresses(p => p.GatewayAddresses.Select(g => g.Address)));
        found.Add(FallbackName);
        return found.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> DhcpServersFromLeases()
    {
        var files = new List<string>();
        foreach (var (dir, pattern) in new[] { ("/var/lib/dhclient", "*.lease*"), ("/var/lib/dhcp", "dhclient*.lease*"), ("/var/lib/NetworkManager", "*.lease"), ("/run/systemd/netif/leases", "*") })
        {
            if (Directory.Exists(dir)) files.AddRange(Directory.EnumerateFiles(dir, pattern));
        }
        foreach (var file in files.OrderByDescending(File.GetLastWriteTimeUtc))
        {
            string? server = null;
            try
            {
                foreach (var raw in File.ReadLines(file))
                {
                    var line = raw.Trim();
                    // dhclient: "option dhcp-server-identifier 10.1.1.1;" (last lease wins); networkd: "SERVER_ADDRESS=10.1.1.1"
                    if (line.StartsWith("option dhcp-server-identifier ", StringComparison.Ordinal)) server = line["option dhcp-server-identifier ".Length..].TrimEnd(';').Trim();
                    else if (line.StartsWith("SERVER_ADDRESS=", StringComparison.Ordinal)) server = line["SERVER_ADDRESS=".Length..].Trim();
                }
            }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (server is not null && IPAddress.TryParse(server, out _)) yield return server;
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static IEnumerable<string> WindowsDhcpServers() => InterfaceAddresses(p => p.DhcpServerAddresses);

    private static IEnumerable<string> InterfaceAddresses(Func<IPInterfaceProperties, IEnumerable<IPAddress>> pick)
    {
        var result = new List<string>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback))
            {
                result.AddRange(pick(nic.GetIPProperties()).Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)).Select(a => a.ToString()));
            }
        }
        catch (NetworkInformationException) { }
        catch (PlatformNotSupportedException) { }
        return result;
    }
}
