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

/// <summary>issueCertificate: from a CSR, or with a key pair made by the CA when <see cref="Csr"/> is null.</summary>
public sealed record IssueCertificate
{
    public string? Csr { get; init; }
    public IReadOnlyList<string> DomainNames { get; init; } = [];
    public IReadOnlyList<string> IpAddresses { get; init; } = [];
    /// <summary>The holder identity (urn:cloudstack:vm:{uuid}); set by the caller's entitlement, never taken from the CSR.</summary>
    public string? Holder { get; init; }
    /// <summary>The router the holder sits behind, when the caller knows it (the API does): renewals are asked there. Without it the CA takes the router of the holder's current certificate.</summary>
    public string? RouterId { get; init; }
    public int? ValidityDays { get; init; }
    public string? Provider { get; init; }
}

/// <summary>First enrollment: a one-time token and a CSR. The token decides the holder.</summary>
public sealed record EnrollHolder
{
    public required string Token { get; init; }
    public required string Csr { get; init; }
}

/// <summary>Renewal by a holder that proves it holds its current, unrevoked certificate (relayed by its bridge after mutual TLS).</summary>
public sealed record RenewCertificate
{
    public required string CurrentCertificate { get; init; }
    public required string Csr { get; init; }
}

public sealed record RevokeCertificate
{
    public required string SerialNumber { get; init; }
    public string? CommonName { get; init; }
    public string? Reason { get; init; }
}

/// <summary>provisionCertificate: ask the holder to rekey (it makes a new key and CSR, then renews).</summary>
public sealed record ProvisionCertificate
{
    public required string Holder { get; init; }
    public required string RouterId { get; init; }
    public bool Reconnect { get; init; }
}

public sealed record CreateEnrollmentToken
{
    public required string Holder { get; init; }
    /// <summary>The router the holder sits behind: the CA sends renewal requests there.</summary>
    public string? RouterId { get; init; }
    public int TtlSeconds { get; init; } = 3600;
}

public sealed record GetCaCertificate
{
    public string? Provider { get; init; }
}

public sealed record ListCaProviders
{
    public string? Name { get; init; }
}

/// <summary>The current (newest valid, unrevoked) certificate of a holder: the API seals secrets to its key.</summary>
public sealed record GetHolderCertificate
{
    public required string Holder { get; init; }
}
