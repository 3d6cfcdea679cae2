using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>CloudStack's CertificateResponse fields, as issueCertificate and listCaCertificate answer them.</summary>
public static class CertificateResponse
{
    public const string ObjectName = "certificates";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("certificate", "The client certificate"),
        ApiResponseField.String("privatekey", "Private key for the certificate (when the CA made the key)"),
        ApiResponseField.String("cacertificates", "The CA certificate(s)"),
        ApiResponseField.String("serialnumber", "the certificate's serial number"),
        ApiResponseField.Date("notafter", "the certificate's expiry"),
    ];
}
