using System.Security.Cryptography;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;
using Agents.Testing;
using Agents.VmAgent.Core.Crypto;

namespace Agents.Producers.Tests;

/// <summary>
/// The whole chain with the real CA service (CaAuthority) instead of the test CA: tokens from
/// the API, a router and an agent enrolled through them, the password sealed to the certificate
/// the CA issued, certificates issued and revoked through the API.
/// </summary>
public sealed class RealCaTests : IAsyncLifetime
{
    private const string RouterId = World.RouterId;
    private readonly BrokerFixture _broker = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("producers-realca-").FullName;
    private readonly string _apiKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private ServiceProcess? _ca, _api, _bridge;
    private CloudStackClient? _admin;

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        _ca = ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("ca")}",
            $"--Ca:DataDirectory={Path.Combine(_dir, "ca")}",
            $"--Ca:HttpUrl=http://127.0.0.1:{FreePort.Next()}",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["AGENTS_CA_PASSPHRASE"] = "real-ca-test-passphrase" } });
        await _ca.WaitForOutputAsync("Consuming ca.requests");
        var port = FreePort.Next();
        _api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("producers")}",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}",
            $"--Producers:DatabasePath={Path.Combine(_dir, "producers.db")}",
            $"--Producers:MasterKey={World.MasterKey}",
            $"--Producers:Bootstrap:AdminApiKey={_apiKey}",
            $"--Producers:Bootstrap:AdminSecretKey={_secret}",
            // an attempt not reached is retried within seconds here (the revocation case below)
            "--Producers:Provisioning:DeliveryTimeoutSeconds=5",
            "--Producers:Provisioning:RetryIntervalSeconds=1",
        ]);
        await _api.WaitForOutputAsync("Consuming producers.outcomes");
        _admin = new CloudStackClient(new Uri($"http://127.0.0.1:{port}"), new ApiKeys(_apiKey, _secret));
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        foreach (var process in new[] { _bridge, _api, _ca })
            if (process is not null) await process.DisposeAsync();
        await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task with_the_real_ca_a_vm_enrolled_through_api_tokens_gets_its_password_reset_and_certificates_go_through_the_api()
    {
        var admin = _admin!;
        var routerToken = (await admin.CallAsync("createAgentEnrollmentToken", ("routerid", RouterId)))["enrollmenttoken"]!["token"]!.GetValue<string>();
        var bridgePort = FreePort.Next();
        _bridge = ServiceProcess.StartDotnet("bridge", ServiceProcess.DllOf("RouterBridge/Agents.RouterBridge"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("bridge-" + RouterId)}",
            $"--Bridge:RouterId={RouterId}",
            "--Bridge:ListenAddress=127.0.0.1",
            $"--Bridge:ListenPort={bridgePort}",
            $"--Bridge:DataDirectory={Path.Combine(_dir, "bridge")}",
            $"--Bridge:EnrollmentToken={routerToken}",
            "--Bridge:HealthChecks:Enabled=false",
        ]);
        await _bridge.WaitForOutputAsync($"Consuming agents.router.{RouterId}");

        const string vmId = "vm-real-ca";
        await admin.CallAsync("registerVirtualMachine", ("id", vmId), ("routerid", RouterId), ("account", "alice"));
        var vmToken = (await admin.CallAsync("createAgentEnrollmentToken", ("virtualmachineid", vmId)))["enrollmenttoken"]!["token"]!.GetValue<string>();
        var caPem = (await admin.CallAsync("listCaCertificate"))["cacertificates"]!["certificate"]!.GetValue<string>();
        var caPath = Path.Combine(_dir, "root.pem");
        await File.WriteAllTextAsync(caPath, caPem);
        await using var agent = new TestAgent(Directory.CreateDirectory(Path.Combine(_dir, "agent")).FullName, caPath, ["127.0.0.1"], bridgePort, vmToken);
        await Eventually.TrueAsync(() => agent.Client.CurrentCertificate is not null, "the agent to enroll through the bridge with the real CA", 60);
        await Eventually.TrueAsync(async () => ResponseValues.Count(await admin.CallAsync("listAgents", ("virtualmachineid", vmId), ("state", "Up"))) == 1,
            "the agent Up in listAgents", 60);

        var job = await admin.CallAsync("resetPasswordForVirtualMachine", ("id", vmId));
        var done = await admin.WaitForJobAsync(job["jobid"]!.GetValue<string>());
        Assert.True(done.Status == AsyncJobStatus.Succeeded, done.ToString());
        var password = done.Result!["virtualmachine"]!["password"]!.GetValue<string>();
        Assert.True(Sha512Crypt.Verify(password, agent.Sandbox.ShadowHash("root")!), "the agent did not apply the job's password");

        // the API keeps the certificate it sealed that password to; the CA's revocation event makes it forget it: the
        // next reset is not sealed to the revoked certificate (the CA has none for the VM now, so each attempt is not reached)
        var revokedSerial = agent.Client.CurrentCertificate!.SerialNumber;
        await admin.CallAsync("revokeCertificate", ("serial", revokedSerial));
        await Eventually.TrueAsync(async () => ResponseValues.Count(await admin.CallAsync("listAgents", ("virtualmachineid", vmId), ("state", "Up"))) == 0,
            "the bridge to cut the revoked agent off", 30);
        var again = (await admin.CallAsync("resetPasswordForVirtualMachine", ("id", vmId)))["jobid"]!.GetValue<string>();
        bool NoCertificate() => _api!.Output.Split('\n').Any(line => line.Contains($"Job {again}: VM {vmId} not reached", StringComparison.Ordinal)
            && line.Contains("has no valid certificate", StringComparison.Ordinal));
        await Eventually.TrueAsync(NoCertificate, "the reset after the revocation to find no certificate to seal to (not the revoked one kept)", 30);

        var issued = (await admin.CallAsync("issueCertificate", ("domain", "web.example.org"), ("duration", "7")))["certificates"]!;
        Assert.False(string.IsNullOrEmpty(issued["privatekey"]!.GetValue<string>()));
        var serial = issued["serialnumber"]!.GetValue<string>();
        var revoked = await admin.CallAsync("revokeCertificate", ("serial", serial));
        Assert.True(revoked["success"]!.GetValue<bool>());
        Assert.True(ResponseValues.Count(await admin.CallAsync("listCAProviders")) >= 1);

        // ca.framework.cert.validity.period changed with updateConfiguration holds for the CA's next certificate, without a restart
        await admin.CallAsync("updateConfiguration", ("name", "ca.framework.cert.validity.period"), ("value", "30"));
        await Eventually.TrueAsync(() => _ca!.Output.Contains("Setting ca.framework.cert.validity.period is now 30", StringComparison.Ordinal),
            "the CA to apply the new validity period", 10);
        var shorter = (await admin.CallAsync("issueCertificate", ("domain", "short.example.org")))["certificates"]!;
        var notAfter = ResponseValues.Date(shorter["notafter"])!.Value.UtcDateTime;
        Assert.InRange(notAfter, DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
    }
}
