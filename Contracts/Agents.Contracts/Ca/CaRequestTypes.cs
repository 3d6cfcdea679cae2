namespace Agents.Contracts.Ca;

/// <summary>
/// Requests to the certificate authority on the <c>ca.requests</c> queue. The AMQP <c>type</c>
/// property names the request (the record's name), <c>reply_to</c> and <c>correlation_id</c>
/// carry the answer back; the answer's <c>type</c> is the response record's name or
/// <see cref="CaError"/>.
/// </summary>
public static class CaRequestTypes
{
    public const string IssueCertificate = nameof(Ca.IssueCertificate);
    public const string EnrollHolder = nameof(Ca.EnrollHolder);
    public const string RenewCertificate = nameof(Ca.RenewCertificate);
    public const string RevokeCertificate = nameof(Ca.RevokeCertificate);
    public const string ProvisionCertificate = nameof(Ca.ProvisionCertificate);
    public const string CreateEnrollmentToken = nameof(Ca.CreateEnrollmentToken);
    public const string GetCaCertificate = nameof(Ca.GetCaCertificate);
    public const string ListCaProviders = nameof(Ca.ListCaProviders);
    public const string GetHolderCertificate = nameof(Ca.GetHolderCertificate);
}
