using System.Security.Cryptography;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using Agents.Security.Identity;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.RouterBridge.Identity;

/// <summary>
/// The router's own certificate, from the CA like an agent's: enrolled once with a one-time
/// token, renewed at about 2/3 of its lifetime with proof of the current one. The TLS listener
/// asks for <see cref="Certificate"/> on every handshake, so a renewal needs no restart and
/// keeps the sessions already open. It is also the renewer behind the RekeyCertificate command
/// addressed to the router itself (provisionCertificate, the CA's automatic renewal).
/// </summary>
public sealed class RouterIdentity(IOptions<BridgeOptions> options, IRequestClient rpc, ILogger<RouterIdentity> logger) : ICertificateRenewer
{
    private readonly SemaphoreSlim _oneRenewalAtATime = new(1, 1);
    private readonly BridgeOptions _options = options.Value;
    private volatile X509Certificate2? _certificate;
    private volatile X509Certificate2? _ca;

    private const UnixFileMode PublicFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public HolderIdentity Holder => HolderIdentity.Router(_options.RouterId);

    public X509Certificate2 Certificate => _certificate ?? throw new InvalidOperationException("the router has no certificate yet");

    public X509Certificate2 CaCertificate => _ca ?? throw new InvalidOperationException("the router has no CA certificate yet");

    private string KeyPath => Path.Combine(_options.DataDirectory, "router.key");
    private string CertificatePath => Path.Combine(_options.DataDirectory, "router.crt");
    private string CaPath => Path.Combine(_options.DataDirectory, "ca.crt");

    /// <summary>Loads the stored certificate, or enrolls with the token when there is none (or it has expired).</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_options.DataDirectory);
        if (File.Exists(CertificatePath) && File.Exists(KeyPath) && File.Exists(CaPath))
        {
            var stored = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
            if (stored.NotAfter > DateTime.UtcNow)
            {
                Install(stored, X509CertificateLoader.LoadCertificateFromFile(CaPath));
                logger.LogInformation("Router {RouterId} certificate {Serial} valid until {NotAfter:O}", _options.RouterId, stored.SerialNumber, stored.NotAfter);
                return;
            }
            logger.LogWarning("Router {RouterId} certificate {Serial} expired on {NotAfter:O}: enrolling again", _options.RouterId, stored.SerialNumber, stored.NotAfter);
        }
        var token = _options.EnrollmentToken ?? TokenFromFile() ?? Environment.GetEnvironmentVariable("AGENTS_BRIDGE_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
            throw new InvalidOperationException($"router {_options.RouterId} has no certificate in {_options.DataDirectory} and no enrollment token (Bridge:EnrollmentToken, Bridge:EnrollmentTokenFile or AGENTS_BRIDGE_TOKEN)");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = await rpc.CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token, Csr = Csr(key) }, ct: ct).ConfigureAwait(false);
        Save(key, issued);
        logger.LogInformation("Router {RouterId} enrolled: certificate {Serial} valid until {NotAfter:O}", _options.RouterId, issued.SerialNumber, issued.NotAfter);
    }

    /// <summary>The token alone in <see cref="BridgeOptions.EnrollmentTokenFile"/> (surrounding white space dropped), or null.</summary>
    private string? TokenFromFile() =>
        _options.EnrollmentTokenFile is { } path && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;

    /// <summary>True once 2/3 of the certificate's lifetime has passed.</summary>
    public bool RenewalDue(DateTimeOffset now)
    {
        var certificate = Certificate;
        var lifetime = certificate.NotAfter - certificate.NotBefore;
        return now.UtcDateTime >= certificate.NotBefore.ToUniversalTime() + lifetime * 2 / 3;
    }

    /// <summary>A new key and CSR, renewed by the CA over the bus with proof of the current certificate; new handshakes get the new one.</summary>
    public async Task RenewAsync(CancellationToken ct)
    {
        // the renewal job and a RekeyCertificate command may meet: one at a time, each with its own new key
        await _oneRenewalAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var previous = Certificate.SerialNumber;
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var issued = await rpc.CallCaAsync<CertificateIssued>(
                new RenewCertificate { CurrentCertificate = Certificate.ExportCertificatePem(), Csr = Csr(key) }, ct: ct).ConfigureAwait(false);
            Save(key, issued);
            logger.LogInformation("Router {RouterId} renewed: certificate {Serial} (was {Previous}) valid until {NotAfter:O}",
                _options.RouterId, issued.SerialNumber, previous, issued.NotAfter);
        }
        finally
        {
            _oneRenewalAtATime.Release();
        }
    }

    /// <summary>
    /// RekeyCertificate for the router: <paramref name="reconnect"/> asks nothing more of a router,
    /// since agents' open sessions stay on the TLS session they have and every new handshake
    /// already presents the new certificate.
    /// </summary>
    Task ICertificateRenewer.RenewAsync(bool reconnect, CancellationToken ct) => RenewAsync(ct);

    private string Csr(ECDsa key)
    {
        var request = new CertificateRequest($"CN=router-{_options.RouterId}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(Holder.Uri));
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSigningRequestPem();
    }

    private void Save(ECDsa key, CertificateIssued issued)
    {
        DurableFile.Write(KeyPath, Encoding.UTF8.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        DurableFile.Write(CertificatePath, Encoding.UTF8.GetBytes(issued.Certificate), PublicFile);
        DurableFile.Write(CaPath, Encoding.UTF8.GetBytes(issued.CaCertificate), PublicFile);
        Install(X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath), X509Certificate2.CreateFromPem(issued.CaCertificate));
    }

    private void Install(X509Certificate2 certificate, X509Certificate2 ca)
    {
        // SslStream on Linux needs a certificate whose key is exportable from a PKCS#12 round trip
        _certificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        _ca = ca;
    }
}
