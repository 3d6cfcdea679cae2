using System.Security.Cryptography;
using Agents.Producers.Tests.Support;
using Agents.Testing;
using Agents.VmAgent.Core.Crypto;
using Agents.VmAgent.Tests.Support;

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
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        _ca = ServiceProcess.Start(ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority", "Agents.CaAuthority"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("ca")}",
            $"--Ca:DataDirectory={Path.Combine(_dir, "ca")}",
            $"--Ca:HttpUrl=http://127.0.0.1:{FreePort.Next()}",
        ], new Dictionary<string, string> { ["AGENTS_CA_PASSPHRASE"] = "real-ca-test-passphrase" });
        await _ca.WaitForOutputAsync("Consuming ca.requests");
        var port = FreePort.Next();
        _api = ServiceProcess.Start(ServiceProcess.DllOf("Producers/Agents.Producers", "Agents.Producers"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("producers")}",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}",
            $"--Producers:DatabasePath={Path.Combine(_dir, "producers.db")}",
            $"--Producers:MasterKey={World.MasterKey}",
            $"--Producers:Bootstrap:AdminApiKey={_apiKey}",
            $"--Producers:Bootstrap:AdminSecretKey={_secret}",
        ]);
        await _api.WaitForOutputAsync("Consuming producers.outcomes");
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        foreach (var process in new[] { _bridge, _api, _ca })
            if (process is not null) await process.DisposeAsync();
        await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task with_the_real_ca_a_vm_enrolled_through_api_tokens_gets_its_password_reset_and_certificates_go_through_the_api()
    {
        var admin = new ApiClient(_http!, _apiKey, _secret);
        var routerToken = (await admin.OkAsync("createAgentEnrollmentToken", ("routerid", RouterId)))["enrollmenttoken"]!.Value<string>("token")!;
        var bridgePort = FreePort.Next();
        _bridge = ServiceProcess.Start(ServiceProcess.DllOf("RouterBridge/Agents.RouterBridge", "Agents.RouterBridge"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("bridge-" + RouterId)}",
            $"--Bridge:RouterId={RouterId}",
            "--Bridge:ListenAddress=127.0.0.1",
            $"--Bridge:ListenPort={bridgePort}",
            $"--Bridge:DataDirectory={Path.Combine(_dir, "bridge")}",
            $"--Bridge:EnrollmentToken={routerToken}",
            "--Bridge:AuthStrictness=false",
            "--Bridge:HealthChecks:Enabled=false",
        ]);
        await _bridge.WaitForOutputAsync($"Consuming agents.router.{RouterId}");

        const string vmId = "vm-real-ca";
        await admin.OkAsync("registerVirtualMachine", ("id", vmId), ("routerid", RouterId), ("account", "alice"));
        var vmToken = (await admin.OkAsync("createAgentEnrollmentToken", ("virtualmachineid", vmId)))["enrollmenttoken"]!.Value<string>("token")!;
        var caPem = (await admin.OkAsync("listCaCertificate"))["cacertificates"]!.Value<string>("certificate")!;
        var caPath = Path.Combine(_dir, "root.pem");
        await File.WriteAllTextAsync(caPath, caPem);
        await using var agent = new TestAgent(Directory.CreateDirectory(Path.Combine(_dir, "agent")).FullName, caPath, ["127.0.0.1"], bridgePort, vmToken);
        await Eventually.TrueAsync(() => agent.Client.CurrentCertificate is not null, "the agent to enroll through the bridge with the real CA", 60);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await admin.OkAsync("listAgents", ("virtualmachineid", vmId), ("state", "Up"))).Value<int>("count") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the agent is not Up in listAgents after 60 s");
            await Task.Delay(200);
        }

        var job = await admin.OkAsync("resetPasswordForVirtualMachine", ("id", vmId));
        var done = await admin.WaitForJobAsync(job.Value<string>("jobid")!);
        Assert.True(done.Value<int>("jobstatus") == 1, done.ToString());
        var password = done["jobresult"]!["virtualmachine"]!.Value<string>("password")!;
        Assert.True(Sha512Crypt.Verify(password, agent.Sandbox.ShadowHash("root")!), "the agent did not apply the job's password");

        var issued = (await admin.OkAsync("issueCertificate", ("domain", "web.example.org"), ("duration", "7")))["certificates"]!;
        Assert.False(string.IsNullOrEmpty(issued.Value<string>("privatekey")));
        var serial = issued.Value<string>("serialnumber")!;
        var revoked = await admin.OkAsync("revokeCertificate", ("serial", serial));
        Assert.True(revoked.Value<bool>("success"));
        Assert.True((await admin.OkAsync("listCAProviders")).Value<int>("count") >= 1);

        // ca.framework.cert.validity.period changed with updateConfiguration holds for the CA's next certificate, without a restart
        await admin.OkAsync("updateConfiguration", ("name", "ca.framework.cert.validity.period"), ("value", "30"));
        await Eventually.TrueAsync(() => _ca!.Output.Contains("Setting ca.framework.cert.validity.period is now 30", StringComparison.Ordinal),
            "the CA to apply the new validity period", 10);
        var shorter = (await admin.OkAsync("issueCertificate", ("domain", "short.example.org")))["certificates"]!;
        var notAfter = shorter.Value<DateTime>("notafter").ToUniversalTime();
        Assert.InRange(notAfter, DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
    }
}
