using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Agents.RouterBridge.Core.Agents;
using Agents.Security.Identity;

namespace Agents.Testing;

/// <summary>Plays the CA behind the bridge: one-time tokens bound to a VM, issuing from the test root.</summary>
public sealed class FakeEnrollmentRelay(TestPki pki) : IEnrollmentRelay
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, bool> _used = new();

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(1);
    public int Renewals;
    /// <summary>Enrollments that reached this CA (valid or not).</summary>
    public int Enrollments;

    public string TokenFor(string vmId)
    {
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        _tokens[token] = vmId;
        return token;
    }

    public Task<EnrollmentAnswer> EnrollAsync(string token, string csrPem, EndPoint? remote, CancellationToken ct)
    {
        Interlocked.Increment(ref Enrollments);
        if (!_tokens.TryGetValue(token, out var vmId)) return Task.FromResult(EnrollmentAnswer.Refused("unknown enrollment token"));
        if (!_used.TryAdd(token, true)) return Task.FromResult(EnrollmentAnswer.Refused("enrollment token already used"));
        return Task.FromResult(EnrollmentAnswer.Issued(pki.IssueFromCsr(csrPem, HolderIdentity.Vm(vmId), Lifetime), pki.RootPem));
    }

    public Task<EnrollmentAnswer> RenewAsync(X509Certificate2 current, string csrPem, CancellationToken ct)
    {
        var holder = HolderIdentity.FromCertificate(current);
        if (holder is null) return Task.FromResult(EnrollmentAnswer.Refused("no holder"));
        Interlocked.Increment(ref Renewals);
        return Task.FromResult(EnrollmentAnswer.Issued(pki.IssueFromCsr(csrPem, holder, Lifetime), pki.RootPem));
    }
}
