using Agents.Producers.Client;
using Agents.Producers.Tests.Support;
using Agents.Storage;
using Agents.Storage.Audit;
using Agents.Testing;

namespace Agents.Producers.Tests.Storage;

/// <summary>
/// The API process with Storage:Provider=MySql: its tables are in MariaDB, and listEvents reads the
/// audit log the consumers write into the same database (no file, no reference to the consumers).
/// </summary>
[Collection(MariaDbFixture.Collection)]
public sealed class ApiOnMariaDbTests(MariaDbFixture mariadb, BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string AdminApiKey = "mariadb-admin-api-key-0123456789";
    private const string AdminSecretKey = "mariadb-admin-secret-key-0123456789";

    private async Task<ServiceProcess> StartApiAsync(string name, string connectionString, string directory, int port)
    {
        var api = ServiceProcess.StartDotnet(name, ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={broker.AmqpUri("producers")}", $"--RabbitMq:ConnectionName=producers-{name}",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}", $"--Producers:DatabasePath={Path.Combine(directory, "producers.db")}",
            $"--Producers:Bootstrap:AdminApiKey={AdminApiKey}", $"--Producers:Bootstrap:AdminSecretKey={AdminSecretKey}",
            "--Storage:Provider=MySql",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["Producers__MasterKey"] = World.MasterKey, ["Storage__ConnectionString"] = connectionString } });
        await api.WaitForOutputAsync("Consuming producers.agents");
        return api;
    }

    [Fact]
    public async Task a_session_signed_in_on_one_api_instance_is_honoured_by_another_on_the_same_database_until_logout()
    {
        var connectionString = await mariadb.Node.CreateDatabaseAsync("api_sessions");
        var directory = Directory.CreateTempSubdirectory("producers-cluster-").FullName;
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        await using var a = await StartApiAsync("api-a", connectionString, directory, portA);
        await using var b = await StartApiAsync("api-b", connectionString, directory, portB);
        using (var admin = new CloudStackClient(new Uri($"http://127.0.0.1:{portA}"), new ApiKeys(AdminApiKey, AdminSecretKey)))
            await admin.CallAsync("createAccount", ("username", "cluster-ada"), ("password", "cluster-Password1"), ("firstname", "Ada"),
                ("lastname", "Lovelace"), ("email", "ada@example.org"), ("account", "cluster-ada"));

        using var onA = new ApiBrowser(CloudStackClient.EndpointOf($"http://127.0.0.1:{portA}"));
        var login = await onA.PostAsync(("command", "login"), ("username", "cluster-ada"), ("password", "cluster-Password1"));
        Assert.Equal(200, login.Status);
        var key = login.Body!["loginresponse"]!["sessionkey"]!.GetValue<string>();

        // a round-robin front sends the next call to the other instance with the same cookies
        using var onB = new ApiBrowser(CloudStackClient.EndpointOf($"http://127.0.0.1:{portB}"));
        onB.SetCookie("JSESSIONID", onA.Cookie("JSESSIONID")!);
        onB.SetCookie("sessionkey", onA.Cookie("sessionkey")!);
        var listed = await onB.GetAsync(("command", "listUsers"), ("sessionkey", key));
        Assert.Equal(200, listed.Status);
        Assert.Equal("cluster-ada", listed.Body!["listusersresponse"]!["user"]![0]!["username"]!.GetValue<string>());

        // the database holds hashes, never the session's id or key
        var stored = await Database.MySql(connectionString).QueryAsync("SELECT id_hash, key_hash FROM api_sessions", r => r.GetString(0) + r.GetString(1));
        var row = Assert.Single(stored);
        Assert.DoesNotContain(key, row, StringComparison.Ordinal);
        Assert.DoesNotContain(onA.Cookie("JSESSIONID")!.Split('.')[0], row, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(200, (await onB.GetAsync(("command", "logout"), ("sessionkey", key))).Status);
        var afterLogout = await onA.GetAsync(("command", "listUsers"), ("sessionkey", key));
        Assert.Equal(401, afterLogout.Status);
        Assert.Equal(0, await a.StopAsync());
        Assert.Equal(0, await b.StopAsync());
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task the_api_configured_for_mariadb_keeps_its_accounts_there_and_lists_the_audit_events_of_the_shared_database()
    {
        var connectionString = await mariadb.Node.CreateDatabaseAsync("api_process");
        var directory = Directory.CreateTempSubdirectory("producers-mariadb-").FullName;
        var port = FreePort.Next();
        await using var api = await StartApiAsync("api", connectionString, directory, port);

        // what the consumers service does: append to the audit log in the shared database
        var audit = await AuditStore.OpenAsync(Database.MySql(connectionString));
        await audit.AppendAsync(new AuditRecord
        {
            EventId = Guid.NewGuid().ToString(), RoutingKey = "agents-framework.ActionEvent.VM-RESETPASSWORD.VirtualMachine.vm-m", Source = "agents-framework",
            Category = "ActionEvent", Type = "VM.RESETPASSWORD", Level = AuditLevel.Info, ResourceType = "VirtualMachine", ResourceId = "vm-m",
            Description = "password reset on vm-m", OccurredAt = DateTimeOffset.UtcNow, ReceivedAt = DateTimeOffset.UtcNow, Body = "{}",
        });

        using var admin = new CloudStackClient(new Uri($"http://127.0.0.1:{port}"), new ApiKeys(AdminApiKey, AdminSecretKey));
        var events = await admin.CallAsync("listEvents", ("resourceid", "vm-m"));
        Assert.Equal("password reset on vm-m", ResponseValues.Text(Assert.Single(ResponseValues.Items(events, "event"))["description"]));

        var admins = await audit.Database.ScalarAsync("SELECT COUNT(*) FROM accounts WHERE name = 'admin'");
        Assert.Equal(1L, Convert.ToInt64(admins, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(File.Exists(Path.Combine(directory, "producers.db")), "a SQLite file was made although the store is MariaDB");
        Assert.DoesNotContain(MariaDbNode.Password, api.Output, StringComparison.Ordinal);
        Assert.Equal(0, await api.StopAsync());
        Directory.Delete(directory, recursive: true);
    }
}
