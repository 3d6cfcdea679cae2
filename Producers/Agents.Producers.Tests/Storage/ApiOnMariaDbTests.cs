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
    [Fact]
    public async Task the_api_configured_for_mariadb_keeps_its_accounts_there_and_lists_the_audit_events_of_the_shared_database()
    {
        var connectionString = await mariadb.Node.CreateDatabaseAsync("api_process");
        var directory = Directory.CreateTempSubdirectory("producers-mariadb-").FullName;
        var port = FreePort.Next();
        var (apiKey, secretKey) = ("mariadb-admin-api-key-0123456789", "mariadb-admin-secret-key-0123456789");
        await using var api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={broker.AmqpUri("producers")}", "--RabbitMq:ConnectionName=producers-mariadb",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}", $"--Producers:DatabasePath={Path.Combine(directory, "producers.db")}",
            $"--Producers:Bootstrap:AdminApiKey={apiKey}", $"--Producers:Bootstrap:AdminSecretKey={secretKey}",
            "--Storage:Provider=MySql",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["Producers__MasterKey"] = World.MasterKey, ["Storage__ConnectionString"] = connectionString } });
        await api.WaitForOutputAsync("Consuming producers.agents");

        // what the consumers service does: append to the audit log in the shared database
        var audit = await AuditStore.OpenAsync(Database.MySql(connectionString));
        await audit.AppendAsync(new AuditRecord
        {
            EventId = Guid.NewGuid().ToString(), RoutingKey = "agents-framework.ActionEvent.VM-RESETPASSWORD.VirtualMachine.vm-m", Source = "agents-framework",
            Category = "ActionEvent", Type = "VM.RESETPASSWORD", Level = AuditLevel.Info, ResourceType = "VirtualMachine", ResourceId = "vm-m",
            Description = "password reset on vm-m", OccurredAt = DateTimeOffset.UtcNow, ReceivedAt = DateTimeOffset.UtcNow, Body = "{}",
        });

        using var admin = new CloudStackClient(new Uri($"http://127.0.0.1:{port}"), new ApiKeys(apiKey, secretKey));
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
