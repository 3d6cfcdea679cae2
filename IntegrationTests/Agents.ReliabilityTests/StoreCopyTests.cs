using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Agents.Producers.Client;
using Agents.ReliabilityTests.Support;
using Agents.Testing;

namespace Agents.ReliabilityTests;

/// <summary>
/// Moving a SQLite install onto MariaDB: an API on its SQLite file gets accounts, users, VMs and a
/// job through the API itself; <c>agents-api migrate-store</c> copies the file onto a private
/// MariaDB; an API started on MariaDB then answers the same accounts, VMs and job, and signs the
/// account's user in with the password it had.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class StoreCopyTests(BrokerFixture broker)
{
    [Fact]
    public async Task a_sqlite_api_store_copied_onto_mariadb_serves_the_same_accounts_vms_and_jobs()
    {
        using var temp = new TempDirectory();
        var apiKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string[] quickGiveUp = ["--Producers:Provisioning:Retries=0", "--Producers:Provisioning:DeliveryTimeoutSeconds=2"];
        var sqliteDirectory = temp.Sub("sqlite");
        var port = FreePort.Next();
        JsonObject accounts, vms, job;
        await using (var onSqlite = ServicesRig.StartApi(broker, sqliteDirectory, port, apiKey, secret, quickGiveUp))
        {
            await onSqlite.WaitForReadyAsync($"http://127.0.0.1:{port}");
            using var api = new CloudStackClient(CloudStackClient.EndpointOf($"http://127.0.0.1:{port}"), new ApiKeys(apiKey, secret));
            await api.CallAsync("createAccount", ("account", "acme"), ("accounttype", "0"), ("username", "alice"), ("password", "alice-password-1"),
                ("firstname", "Alice"), ("lastname", "Acme"), ("email", "alice@acme.example"));
            for (var i = 0; i < 3; i++)
                await api.CallAsync("registerVirtualMachine", ("id", $"copy-vm-{i}"), ("name", $"web-{i}"), ("routerid", "copy-router"), ("account", "acme"));
            // no agent answers: the job ends failed, with its error text, as a real one would
            var reset = await api.CallAsync("resetPasswordForVirtualMachine", ("id", "copy-vm-0"));
            var finished = await api.WaitForJobAsync(ResponseValues.Text(reset["jobid"]), new JobWaitOptions { Timeout = TimeSpan.FromMinutes(2) });
            Assert.True(finished.IsFinished, finished.ToString());
            (accounts, vms, job) = (await api.CallAsync("listAccounts", ("listall", "true")), await api.CallAsync("listVirtualMachines", ("listall", "true")),
                await api.CallAsync("queryAsyncJobResult", ("jobid", finished.JobId)));
            Assert.Equal(0, await onSqlite.StopAsync());
        }

        await using var mariadb = new MariaDbNode();
        await mariadb.StartAsync();
        var database = await mariadb.CreateDatabaseAsync("moved");
        var file = Path.Combine(sqliteDirectory, "producers.db");
        var copy = await MigrateStoreAsync("--from", "sqlite:" + file, "--to", database);
        Assert.True(copy.ExitCode == 0, copy.Output);
        Assert.Contains("  virtual_machines: 3 rows", copy.Stdout, StringComparison.Ordinal);
        Assert.Contains("  jobs: 1 rows", copy.Stdout, StringComparison.Ordinal);
        Assert.Contains("  users: ", copy.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(MariaDbNode.Password, copy.Output, StringComparison.Ordinal);
        // a second copy would mix two installs: refused, unless --force (which replaces the rows)
        var again = await MigrateStoreAsync("--from", "sqlite:" + file, "--to", database);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already has rows in", again.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(MariaDbNode.Password, again.Output, StringComparison.Ordinal);
        var forced = await MigrateStoreAsync("--from", "sqlite:" + file, "--to", database, "--force");
        Assert.True(forced.ExitCode == 0, forced.Output);
        Assert.Contains("  virtual_machines: 3 rows", forced.Stdout, StringComparison.Ordinal);

        var mariaPort = FreePort.Next();
        await using var onMariaDb = ServicesRig.StartApi(broker, temp.Sub("mariadb"), mariaPort, apiKey, secret,
            [.. quickGiveUp, "--Storage:Provider=MySql", $"--Storage:ConnectionString={database}"]);
        await onMariaDb.WaitForReadyAsync($"http://127.0.0.1:{mariaPort}");
        var endpoint = CloudStackClient.EndpointOf($"http://127.0.0.1:{mariaPort}");
        using var moved = new CloudStackClient(endpoint, new ApiKeys(apiKey, secret));
        Assert.Equal(accounts.ToJsonString(), (await moved.CallAsync("listAccounts", ("listall", "true"))).ToJsonString());
        Assert.Equal(vms.ToJsonString(), (await moved.CallAsync("listVirtualMachines", ("listall", "true"))).ToJsonString());
        Assert.Equal(job.ToJsonString(), (await moved.CallAsync("queryAsyncJobResult", ("jobid", ResponseValues.Text(job["jobid"])))).ToJsonString());
        using var alice = await CloudStackClient.LoginAsync(endpoint, "alice", "alice-password-1");
        var hers = await alice.CallAsync("listVirtualMachines");
        Assert.Equal(3, hers["virtualmachine"]!.AsArray().Count);
        Assert.False(File.Exists(Path.Combine(temp.Path, "mariadb", "producers.db")), "the API on MariaDB made a SQLite file");
    }

    private static Task<ProcessResult> MigrateStoreAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [ServiceProcess.DllOf("Producers/Agents.Producers"), "migrate-store", .. args], timeout: TimeSpan.FromMinutes(3));
}
