using System.Net;
using System.Threading.RateLimiting;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// Bridge:EnrollmentRateLimit: enrollment attempts per source address and minute (a fixed window
/// per address, idle windows dropped by the library). An IPv4 address and its IPv6-mapped form are
/// one source. 0 turns the limit off.
/// </summary>
internal sealed class EnrollmentRateLimiter(int perMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _limiter = perMinute <= 0 ? null : PartitionedRateLimiter.Create<IPAddress, IPAddress>(
        address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(EndPoint? remote)
    {
        if (_limiter is null) return true;
        using var lease = _limiter.AttemptAcquire(Source(remote));
        return lease.IsAcquired;
    }

    private static IPAddress Source(EndPoint? remote) => remote is IPEndPoint { Address: var address }
        ? address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address
        : IPAddress.None;

    public void Dispose() => _limiter?.Dispose();
}
