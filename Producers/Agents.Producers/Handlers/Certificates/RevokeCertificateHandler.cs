using System.Text.Json.Nodes;
using Agents.Contracts.Ca;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>revokeCertificate (admin): by serial number, relayed to the CA (CRL and revocation event).</summary>
public sealed class RevokeCertificateHandler(CaClient ca) : IApiHandler
{
    private static readonly ApiParameter Serial = new("serial", ApiParameterType.String, "The certificate serial number, as a hex value") { Required = true };
    private static readonly ApiParameter Cn = new("cn", ApiParameterType.String, "The certificate CN");
    private static readonly ApiParameter Reason = new("reason", ApiParameterType.String, "why it is revoked (kept in the CA's records)");

    public ApiDefinition Definition { get; } = new("revokeCertificate", "Revokes certificate using configured CA plugin")
    {
        Since = "4.11.0",
        Access = ApiAccess.Admin,
        Parameters = [Serial, Cn, Reason],
        Response = [ApiResponseField.Boolean("success", "true if operation is executed successfully"), ApiResponseField.String("serialnumber", "the revoked serial"),
            ApiResponseField.Date("revoked", "when it was revoked")],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var serial = call.Required(Serial);
        if (!serial.All(char.IsAsciiHexDigit) || serial.Length > 64) throw ApiException.Parameter("serial must be the certificate's serial number in hex");
        var recorded = await ca.CallAsync<CertificateRevocationRecorded>(
            new RevokeCertificate { SerialNumber = serial, CommonName = call.Optional(Cn), Reason = call.Optional(Reason) }, ct).ConfigureAwait(false);
        return new JsonObject { ["success"] = true, ["serialnumber"] = recorded.SerialNumber, ["revoked"] = ApiFormat.Date(recorded.RevokedAt) };
    }
}
