using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Agents.CaAuthority.Options;
using Microsoft.Extensions.Logging;

namespace Agents.CaAuthority.Providers;

/// <summary>
/// The root CA's certificate and key, made at first start. The key lives only as encrypted PKCS#8
/// PEM (AES-256-CBC, PBKDF2-SHA256) in a 0600 file; its passphrase comes from an environment
/// variable or a file, and neither is ever logged or returned.
/// </summary>
public sealed class RootCaKeys
{
    private const int Pbkdf2Iterations = 210_000;

    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    private RootCaKeys(X509Certificate2 certificate)
    {
        Certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>A signer with the CA's key, whatever the algorithm of the key being certified.</summary>
    public CaSigner NewSignatureGenerator()
    {
        if (Certificate.GetECDsaPrivateKey() is { } ec) return new CaSigner(X509SignatureGenerator.CreateForECDsa(ec), ec);
        var rsa = Certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("the root CA certificate has no usable private key");
        return new CaSigner(X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), rsa);
    }

    public static RootCaKeys LoadOrCreate(CaOptions options, ILogger logger)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var keyPath = Path.Combine(options.DataDirectory, "ca.key");
        var certPath = Path.Combine(options.DataDirectory, "ca.crt");
        var passphrase = Passphrase(options, logger);
        if (File.Exists(keyPath) && File.Exists(certPath))
        {
            X509Certificate2 loaded;
            try { loaded = X509Certificate2.CreateFromEncryptedPemFile(certPath, passphrase, keyPath); }
            catch (CryptographicException e)
            {
                throw new CaSetupException($"{keyPath} cannot be decrypted with the passphrase from {options.PassphraseEnvironmentVariable} or " +
                    $"Ca:PassphraseFile (wrong passphrase, or a damaged key file)", e);
            }
            logger.LogInformation("Root CA {Subject} loaded, valid until {NotAfter:O}", loaded.Subject, loaded.NotAfter);
            return new RootCaKeys(Reimport(loaded));
        }
        var created = Create(options);
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pbkdf2Iterations);
        var keyPem = created.GetECDsaPrivateKey() is { } ec
            ? ec.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe)
            : created.GetRSAPrivateKey()!.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe);
        WritePrivate(keyPath, keyPem);
        File.WriteAllText(certPath, created.ExportCertificatePem());
        logger.LogInformation("Root CA {Subject} created ({Algorithm}), valid until {NotAfter:O}", created.Subject, options.KeyAlgorithm, created.NotAfter);
        return new RootCaKeys(Reimport(created));
    }

    private static X509Certificate2 Create(CaOptions options)
    {
        var subject = new X500DistinguishedName(options.IssuerDn);
        CertificateRequest request;
        if (options.KeyAlgorithm == CaKeyAlgorithm.Rsa4096)
            request = new CertificateRequest(subject, RSA.Create(4096), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        else
            request = new CertificateRequest(subject, ECDsa.Create(ECCurve.NamedCurves.nistP384), HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        return request.CreateSelfSigned(now, now.AddYears(options.CaValidityYears));
    }

    private static string Passphrase(CaOptions options, ILogger logger)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(options.PassphraseEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        var file = options.PassphraseFile ?? Path.Combine(options.DataDirectory, "ca.passphrase");
        if (File.Exists(file)) return File.ReadAllText(file).Trim();
        if (options.PassphraseFile is not null)
            throw new CaSetupException($"Ca:PassphraseFile {options.PassphraseFile} does not exist");
        logger.LogWarning("No CA passphrase in {Variable} or Ca:PassphraseFile: generated one in {File} (0600). Keep it apart from ca.key in production.",
            options.PassphraseEnvironmentVariable, file);
        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        WritePrivate(file, generated);
        return generated;
    }

    /// <summary>A certificate whose key is usable for signing on every platform (ephemeral keys are not on all).</summary>
    private static X509Certificate2 Reimport(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
        stream.Flush(flushToDisk: true);
    }
}

/// <summary>A signature generator and the key handle it owns.</summary>
public sealed class CaSigner(X509SignatureGenerator generator, AsymmetricAlgorithm key) : IDisposable
{
    public X509SignatureGenerator Generator => generator;

    public void Dispose() => key.Dispose();
}
