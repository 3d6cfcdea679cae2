using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Issuance;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Revocation;
using Agents.CaAuthority.Store;
using Agents.CaAuthority.Tokens;
using Agents.Contracts.Ca;
using Agents.Contracts.Events;
using Agents.Security.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.CaAuthority.Providers;

/// <summary>
/// The default provider: a self-signed root CA that issues, renews and revokes. Every certificate
/// is in the store before it is returned; every revocation is in the store, in a new CRL and on
/// the event bus before it is confirmed.
/// </summary>
public sealed class RootCaProvider(
    RootCaKeys ca,
    CertificateIssuer issuer,
    ICaStore store,
    CrlPublisher crl,
    IEventPublisher events,
    IOptions<CaOptions> options,
    ILogger<RootCaProvider> logger) : ICaProvider
{
    public const string ProviderName = "root";

    public string Name => ProviderName;
    public string Description => "Self-signed root CA provider plugin (built in)";

    private CaOptions Options => options.Value;

    public async Task<CertificateIssued> IssueAsync(IssueCertificate request, CancellationToken ct)
    {
        var holder = CheckHolder(request.Holder);
        // JSON may carry explicit nulls
        var dns = (request.DomainNames ?? []).ToList();
        if (dns.Count + (request.IpAddresses ?? []).Count > 32) throw CaRequestException.BadParameter("at most 32 domain names and IP addresses");
        dns.ForEach(ValidatedCsr.CheckDnsName);
        var ips = (request.IpAddresses ?? []).Select(ParseIp).ToList();
        if (request.ValidityDays is <= 0)
            throw CaRequestException.BadParameter($"validityDays must be a positive number of days, not {request.ValidityDays}");
        var routerId = holder is null ? null
            : request.RouterId is { } given ? CheckRouter(given)
            : await RouterOfAsync(holder, ct).ConfigureAwait(false);
        IssuedLeaf leaf;
        if (request.Csr is null)
        {
            // CloudStack's issueCertificate without a csr: the CA makes the key and returns it once
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var keyRequest = new CertificateRequest("CN=unused", key, HashAlgorithmName.SHA256);
            leaf = issuer.Issue(keyRequest, dns, ips, holder, routerId, request.ValidityDays, key.ExportPkcs8PrivateKeyPem());
        }
        else
        {
            var csr = ValidatedCsr.Parse(request.Csr, Options.MaxCsrBytes);
            leaf = issuer.Issue(csr.Request, dns.Concat(csr.DnsNames).ToList(), ips.Concat(csr.IpAddresses).ToList(), holder, routerId, request.ValidityDays);
        }
        await store.AddAsync(leaf.Record, ct: ct).ConfigureAwait(false);
        return await IssuedAsync(leaf, ct).ConfigureAwait(false);
    }

    public async Task<CertificateIssued> EnrollAsync(EnrollHolder request, CancellationToken ct)
    {
        var csr = ValidatedCsr.Parse(request.Csr, Options.MaxCsrBytes);
        var hash = EnrollmentTokens.Hash(request.Token ?? "");
        var token = await store.FindTokenAsync(hash, ct).ConfigureAwait(false)
            ?? throw CaRequestException.BadParameter("unknown enrollment token");
        if (token.UsedAt is not null) throw CaRequestException.BadParameter("the enrollment token was already used");
        if (token.ExpiresAt <= DateTimeOffset.UtcNow) throw CaRequestException.BadParameter("the enrollment token has expired");
        // the token, not the CSR, names the holder; a router is its own router
        var routerId = token.RouterId ?? (HolderIdentity.Parse(token.Holder) is { Kind: HolderKind.Router } router ? router.Id : null);
        var leaf = issuer.Issue(csr.Request, csr.DnsNames, csr.IpAddresses, token.Holder, routerId, null);
        await store.AddAsync(leaf.Record, tokenHash: hash, ct: ct).ConfigureAwait(false);
        logger.LogInformation("Enrolled {Holder}: certificate {Serial}", token.Holder, leaf.Record.SerialNumber);
        return await IssuedAsync(leaf, ct).ConfigureAwait(false);
    }

    public async Task<CertificateIssued> RenewAsync(RenewCertificate request, CancellationToken ct)
    {
        var csr = ValidatedCsr.Parse(request.Csr, Options.MaxCsrBytes);
        if (string.IsNullOrWhiteSpace(request.CurrentCertificate)) throw CaRequestException.BadParameter("currentCertificate is required");
        if (request.CurrentCertificate.Length > Options.MaxCsrBytes)
            throw CaRequestException.BadParameter($"currentCertificate is {request.CurrentCertificate.Length} bytes; at most {Options.MaxCsrBytes} are accepted");
        X509Certificate2 current;
        try { current = X509Certificate2.CreateFromPem(request.CurrentCertificate); }
        catch (Exception e) when (e is CryptographicException or ArgumentException) { throw CaRequestException.BadParameter("currentCertificate is not a PEM certificate"); }
        using (current)
        {
            if (!IssuedByUs(current)) throw CaRequestException.NotAllowed("currentCertificate was not issued by this CA");
            var record = await store.FindAsync(current.SerialNumber, ct).ConfigureAwait(false)
                ?? throw CaRequestException.NotAllowed($"certificate {current.SerialNumber} is not in the inventory");
            if (record.Status == CertificateStatus.Revoked) throw CaRequestException.NotAllowed($"certificate {record.SerialNumber} is revoked");
            if (record.NotAfter < DateTimeOffset.UtcNow && !Options.AllowExpiredRenewal)
                throw CaRequestException.NotAllowed($"certificate {record.SerialNumber} expired on {record.NotAfter:O} (ca.plugin.root.allow.expired.cert is off)");
            if (record.Holder is null) throw CaRequestException.NotAllowed($"certificate {record.SerialNumber} names no holder and cannot be renewed this way");
            var leaf = issuer.Issue(csr.Request, csr.DnsNames, csr.IpAddresses, record.Holder, record.RouterId, null);
            // a holder has one identity: its renewal replaces every valid certificate issued to it, not only the one it signed in with
            var replaced = (await store.ValidForHolderAsync(record.Holder, ct).ConfigureAwait(false))
                .Where(c => c.SerialNumber != record.SerialNumber).Prepend(record).ToList();
            await store.AddAsync(leaf.Record, supersedes: replaced.Select(c => c.SerialNumber).ToList(), ct: ct).ConfigureAwait(false);
            logger.LogInformation("Renewed {Holder}: certificate {Serial} replaces {Old}", record.Holder, leaf.Record.SerialNumber,
                string.Join(", ", replaced.Select(c => c.SerialNumber)));
            foreach (var old in replaced.Where(c => c.LastExpiryAlertAt is not null))
                await PublishRenewedAlertAsync(old, leaf.Record, ct).ConfigureAwait(false);
            return await IssuedAsync(leaf, ct).ConfigureAwait(false);
        }
    }

    public async Task<CertificateRevocationRecorded> RevokeAsync(RevokeCertificate request, CancellationToken ct)
    {
        var serial = (request.SerialNumber ?? "").Trim().Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        if (serial.Length is 0 or > 64 || !serial.All(Uri.IsHexDigit)) throw CaRequestException.BadParameter("serial must be the certificate's serial number in hex");
        var record = await store.FindAsync(serial, ct).ConfigureAwait(false)
            ?? throw CaRequestException.BadParameter($"no certificate with serial {serial}");
        if (request.CommonName is not null && !record.Subject.Equals("CN=" + request.CommonName, StringComparison.OrdinalIgnoreCase))
            throw CaRequestException.BadParameter($"certificate {serial} has subject {record.Subject}, not CN={request.CommonName}");
        var reason = request.Reason is null ? null : CrlPublisher.ReasonOf(request.Reason)?.ToString()
            ?? throw CaRequestException.BadParameter($"reason '{request.Reason}' is not an RFC 5280 revocation reason (keyCompromise, superseded, ...)");
        var at = DateTimeOffset.UtcNow;
        var changed = await store.RevokeAsync(serial, at, reason, ct).ConfigureAwait(false);
        var revokedAt = changed ? at : (await store.FindAsync(serial, ct).ConfigureAwait(false))?.RevokedAt ?? at;
        await crl.RebuildAsync(ct).ConfigureAwait(false);
        // published on every request, a repeat too: a bridge that missed the first event catches up
        await events.PublishAsync(new CertificateChanged
        {
            MessageId = Guid.NewGuid(), EventType = EventTypes.CertificateRevoked, SerialNumber = serial, Subject = record.Subject,
            Holder = record.Holder, NotAfter = record.NotAfter, RevocationReason = reason, At = revokedAt,
        }.ToEvent(), ct).ConfigureAwait(false);
        logger.LogWarning("Revoked certificate {Serial} of {Holder} ({Reason}); CRL {CrlNumber}", serial, record.Holder, reason ?? "unspecified", crl.Number);
        return new CertificateRevocationRecorded { SerialNumber = serial, RevokedAt = revokedAt, CrlNumber = crl.Number };
    }

    public async Task<EnrollmentTokenCreated> CreateEnrollmentTokenAsync(CreateEnrollmentToken request, CancellationToken ct)
    {
        var holder = CheckHolder(request.Holder) ?? throw CaRequestException.BadParameter("holder is required");
        if (request.RouterId is not null && !HolderIdentity.IsSafeId(request.RouterId)) throw CaRequestException.BadParameter("routerId is not a valid id");
        var ttl = Math.Clamp(request.TtlSeconds, 60, Options.MaxEnrollmentTokenTtlSeconds);
        var token = EnrollmentTokens.New();
        var expires = DateTimeOffset.UtcNow.AddSeconds(ttl);
        await store.AddTokenAsync(new EnrollmentTokenRecord(EnrollmentTokens.Hash(token), holder, request.RouterId, expires, null), ct).ConfigureAwait(false);
        logger.LogInformation("Enrollment token created for {Holder}, valid until {ExpiresAt:O}", holder, expires);
        return new EnrollmentTokenCreated { Token = token, Holder = holder, ExpiresAt = expires };
    }

    public async Task<HolderCertificate> HolderCertificateAsync(string holder, CancellationToken ct)
    {
        var record = await store.CurrentForHolderAsync(CheckHolder(holder) ?? "", ct).ConfigureAwait(false)
            ?? throw CaRequestException.BadParameter($"{holder} has no valid certificate (has its agent enrolled?)");
        return new HolderCertificate { Holder = record.Holder!, SerialNumber = record.SerialNumber, Certificate = record.Pem, NotAfter = record.NotAfter };
    }

    public CaCertificate CaCertificate() => new() { Provider = Name, Certificate = ca.CertificatePem, CrlUrl = issuer.CrlUrl };

    private async Task<CertificateIssued> IssuedAsync(IssuedLeaf leaf, CancellationToken ct)
    {
        await events.PublishAsync(new CertificateChanged
        {
            MessageId = Guid.NewGuid(), EventType = EventTypes.CertificateIssued, SerialNumber = leaf.Record.SerialNumber,
            Subject = leaf.Record.Subject, Holder = leaf.Record.Holder, NotAfter = leaf.Record.NotAfter, At = DateTimeOffset.UtcNow,
        }.ToEvent(), ct).ConfigureAwait(false);
        return new CertificateIssued
        {
            SerialNumber = leaf.Record.SerialNumber, Certificate = leaf.Record.Pem, CaCertificate = ca.CertificatePem,
            PrivateKey = leaf.PrivateKeyPem, Holder = leaf.Record.Holder, NotAfter = leaf.Record.NotAfter,
        };
    }

    private static string CheckRouter(string routerId) =>
        HolderIdentity.IsSafeId(routerId) && !routerId.Contains('.', StringComparison.Ordinal) ? routerId
        : throw CaRequestException.BadParameter($"routerId '{routerId}' is not a valid router id");

    /// <summary>The router a new certificate of <paramref name="holder"/> is renewed through: a router is its own; a VM's is the one its current certificate records.</summary>
    private async Task<string?> RouterOfAsync(string? holder, CancellationToken ct)
    {
        if (!HolderIdentity.TryParse(holder, out var identity)) return null;
        if (identity!.Kind == HolderKind.Router) return identity.Id;
        return (await store.CurrentForHolderAsync(identity.Uri, ct).ConfigureAwait(false))?.RouterId;
    }

    private Task PublishRenewedAlertAsync(CertificateRecord old, CertificateRecord renewed, CancellationToken ct) =>
        events.PublishAsync(ExpiryAlerts.Resolved(old, renewed), ct);

    private bool IssuedByUs(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate);
    }

    private static string? CheckHolder(string? holder)
    {
        if (holder is null) return null;
        return HolderIdentity.TryParse(holder, out var identity) ? identity!.Uri
            : throw CaRequestException.BadParameter($"holder '{holder}' is not urn:cloudstack:vm|router|service:<id>");
    }

    private static IPAddress ParseIp(string? text) =>
        IPAddress.TryParse(text, out var ip) ? ip : throw CaRequestException.BadParameter($"'{text}' is not an IP address");
}
