using System.Text.Json.Nodes;
using Agents.Cli.Tests.Support;

namespace Agents.Cli.Tests;

/// <summary>enroll-token --out and ca-cert: what docker-compose's init step leaves in its volume, and what it never prints.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EnrollmentFileTests : IAsyncLifetime
{
    private const string Token = "one-time-SECRET-token-4f9a";
    private readonly string _directory = Directory.CreateTempSubdirectory("agentctl-files-").FullName;
    private FakeCloudStackApi _api = null!;

    public Task InitializeAsync()
    {
        _api = new FakeCloudStackApi((command, p) => command switch
        {
            "createAgentEnrollmentToken" => new JsonObject
            {
                ["enrollmenttoken"] = new JsonObject
                {
                    ["token"] = Token,
                    ["holder"] = p.TryGetValue("routerid", out var router) ? $"urn:cloudstack:router:{router}" : $"urn:cloudstack:vm:{p["virtualmachineid"]}",
                    ["expires"] = "2026-12-05T10:00:00+0000",
                },
            },
            "listCaCertificate" => new JsonObject { ["cacertificates"] = new JsonObject { ["certificate"] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", ["provider"] = "root" } },
            _ => throw new FakeApiError(432, "no"),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_directory, true);
    }

    private Task<CliRun> RunAsync(params string[] arguments) =>
        AgentCtl.RunAsync([.. arguments, "--url", _api.Url, "--api-key", FakeCloudStackApi.ApiKey, "--secret-key", FakeCloudStackApi.SecretKey], _directory);

    [Fact]
    public async Task a_routers_token_goes_to_its_file_for_the_owner_only_and_is_never_printed()
    {
        var file = Path.Combine(_directory, "enrollment", "router.token");

        var run = await RunAsync("enroll-token", "--router", "r-1", "--out", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Token + "\n", await File.ReadAllTextAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("r-1", Assert.Single(_api.CallsOf("createAgentEnrollmentToken"))["routerid"]);
        Assert.Contains("urn:cloudstack:router:r-1", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.Equal([file], Directory.GetFiles(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public async Task a_token_file_that_exists_is_kept_and_no_new_token_is_made()
    {
        var file = Path.Combine(_directory, "agent.token");
        await File.WriteAllTextAsync(file, "the-first-token\n");

        var run = await RunAsync("enroll-token", "vm-1", "--out", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("the-first-token\n", await File.ReadAllTextAsync(file));
        Assert.Empty(_api.CallsOf("createAgentEnrollmentToken"));
        Assert.Contains("exists: no new token made", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_vm_and_a_router_together_are_refused_before_any_call()
    {
        var run = await RunAsync("enroll-token", "vm-1", "--router", "r-1", "--out", Path.Combine(_directory, "x.token"));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(_api.Calls);
        Assert.False(File.Exists(Path.Combine(_directory, "x.token")));
    }

    [Fact]
    public async Task the_ca_certificate_is_printed_alone_or_written_to_its_file()
    {
        var file = Path.Combine(_directory, "ca.crt");

        var printed = await RunAsync("ca-cert");
        var written = await RunAsync("ca-cert", "--out", file);

        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", printed.Stdout.Trim());
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", await File.ReadAllTextAsync(file));
    }
}
