using System.Text.Json.Nodes;
using Agents.Cli.Tests.Support;

namespace Agents.Cli.Tests;

public sealed class AgentCtlTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agentctl-test-").FullName;
    private FakeCloudStackApi _api = null!;

    public Task InitializeAsync()
    {
        _api = new FakeCloudStackApi((command, _) => throw new FakeApiError(432, $"The given command '{command}' does not exist"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_directory, true);
    }

    private string[] Keys => ["--url", _api.Url, "--api-key", FakeCloudStackApi.ApiKey, "--secret-key", FakeCloudStackApi.SecretKey];

    private Task<CliRun> RunAsync(params string[] arguments) => AgentCtl.RunAsync([.. arguments, .. Keys, "--poll-ms", "50"], _directory);

    private static JsonObject Vms() => new()
    {
        ["count"] = 2,
        ["virtualmachine"] = new JsonArray(
            new JsonObject { ["id"] = "vm-1", ["name"] = "web-frontend", ["routerid"] = "r-1", ["state"] = "Running" },
            new JsonObject { ["id"] = "vm-2", ["name"] = "db-primary", ["routerid"] = "r-1", ["state"] = "Stopped" }),
    };

    [Fact]
    public async Task a_generic_api_call_is_signed_and_its_list_is_printed_as_a_table()
    {
        _api.Handler = (command, p) => command == "listVirtualMachines" ? Vms() : throw new FakeApiError(432, "no");

        var run = await RunAsync("listVirtualMachines", "routerid=r-1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("web-frontend", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("db-primary", run.Stdout, StringComparison.Ordinal);
        var call = Assert.Single(_api.CallsOf("listVirtualMachines"));
        Assert.Equal("r-1", call["routerid"]);
        Assert.Equal("json", call["response"]);
        Assert.Equal(0, _api.Refused);
    }

    [Fact]
    public async Task values_with_spaces_and_symbols_arrive_verbatim_and_the_signature_still_verifies()
    {
        const string value = "a b+c&d=e %20 é/ü ~!*'()";
        _api.Handler = (_, p) => new JsonObject { ["echo"] = p["displaytext"] };

        var run = await RunAsync("updateSomething", $"displaytext={value}", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(value, Assert.Single(_api.Calls)["displaytext"]);
        Assert.Equal(value, JsonNode.Parse(run.Stdout)!["echo"]!.GetValue<string>());
    }

    [Fact]
    public async Task json_output_is_the_commands_response_object()
    {
        _api.Handler = (_, _) => Vms();

        var run = await RunAsync("vms", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(JsonNode.DeepEquals(Vms(), JsonNode.Parse(run.Stdout)), run.Stdout);
    }

    [Fact]
    public async Task a_wrong_secret_key_is_refused_by_the_server_and_agentctl_exits_1_with_its_errortext()
    {
        var run = await AgentCtl.RunAsync(["listVirtualMachines", "--url", _api.Url, "--api-key", FakeCloudStackApi.ApiKey, "--secret-key", "not-the-secret"], _directory);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error 401: unable to verify user credentials and/or request signature", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, _api.Refused);
    }

    [Fact]
    public async Task an_api_error_prints_errorcode_and_errortext_and_exits_1()
    {
        _api.Handler = (_, _) => throw new FakeApiError(431, "Unable to execute API command resetpasswordforvirtualmachine due to missing parameter id");

        var run = await RunAsync("resetPasswordForVirtualMachine");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error 431: Unable to execute API command resetpasswordforvirtualmachine due to missing parameter id", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_async_call_waits_for_its_job_and_prints_the_result()
    {
        var polls = 0;
        _api.Handler = (command, p) => command switch
        {
            "resetPasswordForVirtualMachine" => new JsonObject { ["jobid"] = "job-1", ["id"] = p["id"] },
            "queryAsyncJobResult" when Interlocked.Increment(ref polls) < 3 => new JsonObject { ["jobid"] = "job-1", ["jobstatus"] = 0 },
            "queryAsyncJobResult" => new JsonObject
            {
                ["jobid"] = "job-1", ["jobstatus"] = 1, ["jobresultcode"] = 0,
                ["jobresult"] = new JsonObject { ["virtualmachine"] = new JsonObject { ["id"] = "vm-1", ["password"] = "Zq7-new-pass" } },
            },
            _ => throw new FakeApiError(432, "no"),
        };

        var run = await RunAsync("reset-password", "vm-1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Zq7-new-pass", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("vm-1", Assert.Single(_api.CallsOf("resetPasswordForVirtualMachine"))["id"]);
        Assert.All(_api.CallsOf("queryAsyncJobResult"), c => Assert.Equal("job-1", c["jobid"]));
        Assert.Equal(3, _api.CallsOf("queryAsyncJobResult").Count);
    }

    [Fact]
    public async Task a_fan_out_recipe_reports_progress_and_prints_a_row_per_target()
    {
        var polls = 0;
        _api.Handler = (command, p) => command switch
        {
            "runAgentRecipe" => new JsonObject { ["jobid"] = "job-f" },
            "queryAsyncJobResult" => FanOutJob(Interlocked.Increment(ref polls)),
            _ => throw new FakeApiError(432, "no"),
        };

        var run = await RunAsync("run-recipe", "package-upgrade", "--vm", "vm-1", "--vm", "vm-2", "--vm", "vm-3",
            "--param", "MODE=full upgrade", "--param", "REBOOT=no", "--max-errors", "10%", "--max-concurrency", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        var call = Assert.Single(_api.CallsOf("runAgentRecipe"));
        Assert.Equal("package-upgrade", call["name"]);
        Assert.Equal("vm-1,vm-2,vm-3", call["virtualmachineids"]);
        Assert.Equal("MODE", call["parameters[0].key"]);
        Assert.Equal("full upgrade", call["parameters[0].value"]);
        Assert.Equal("REBOOT", call["parameters[1].key"]);
        Assert.Equal("10%", call["maxerrors"]);
        Assert.Equal("2", call["maxconcurrency"]);
        Assert.Contains("job job-f: 0/3 done", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("job job-f: 1/3 done", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("job job-f: 3/3 done (2 succeeded, 1 failed", run.Stdout, StringComparison.Ordinal);
        foreach (var vm in new[] { "vm-1", "vm-2", "vm-3" }) Assert.Contains(vm, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("exit status 100", run.Stdout, StringComparison.Ordinal);
    }

    private static JsonObject FanOutJob(int poll)
    {
        var states = poll switch
        {
            1 => new[] { "Pending", "Pending", "Pending" },
            2 => ["Success", "InProgress", "Pending"],
            _ => ["Success", "Success", "Failed"],
        };
        var targets = new JsonArray(states.Select((s, i) =>
        {
            var row = new JsonObject { ["virtualmachineid"] = $"vm-{i + 1}", ["routerid"] = "r-1", ["status"] = s, ["attempt"] = 1 };
            if (s == "Failed") row["message"] = "exit status 100";
            return (JsonNode)row;
        }).ToArray());
        var agentJob = new JsonObject { ["total"] = 3, ["maxconcurrency"] = 2, ["maxerrors"] = 0, ["targets"] = targets };
        foreach (var group in states.GroupBy(s => s.ToLowerInvariant())) agentJob[group.Key] = group.Count();
        return new JsonObject
        {
            ["jobid"] = "job-f", ["cmd"] = "runAgentRecipe", ["jobstatus"] = poll >= 3 ? 1 : 0,
            ["jobresult"] = new JsonObject { ["agentjob"] = agentJob },
        };
    }

    [Fact]
    public async Task a_failed_job_exits_1_with_the_jobs_errortext()
    {
        _api.Handler = (command, _) => command == "provisionCertificate"
            ? new JsonObject { ["jobid"] = "job-x" }
            : new JsonObject { ["jobid"] = "job-x", ["jobstatus"] = 2, ["jobresultcode"] = 530, ["jobresult"] = new JsonObject { ["errorcode"] = 530, ["errortext"] = "the agent of vm-9 is not connected" } };

        var run = await RunAsync("rekey", "vm-9");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("job job-x failed: the agent of vm-9 is not connected", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("vm-9", Assert.Single(_api.CallsOf("provisionCertificate"))["virtualmachineid"]);
    }

    [Fact]
    public async Task no_wait_prints_the_jobid_without_polling()
    {
        _api.Handler = (_, _) => new JsonObject { ["jobid"] = "job-n" };

        var run = await RunAsync("resetPasswordForVirtualMachine", "id=vm-1", "--no-wait", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("job-n", JsonNode.Parse(run.Stdout)!["jobid"]!.GetValue<string>());
        Assert.Empty(_api.CallsOf("queryAsyncJobResult"));
    }

    [Fact]
    public async Task output_into_pipes_carries_no_ansi_codes_even_when_the_terminal_type_claims_colour()
    {
        _api.Handler = (_, _) => Vms();

        var run = await AgentCtl.RunAsync(["vms", .. Keys], _directory, new Dictionary<string, string>
        {
            ["TERM"] = "xterm-256color",
            ["COLORTERM"] = "truecolor",
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("web-frontend", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stderr);
    }

    [Fact]
    public async Task url_and_keys_come_from_the_environment()
    {
        _api.Handler = (_, _) => Vms();

        var run = await AgentCtl.RunAsync(["vms"], _directory, new Dictionary<string, string>
        {
            ["AGENTS_API_URL"] = $"http://127.0.0.1:{_api.Port}",
            ["AGENTS_API_KEY"] = FakeCloudStackApi.ApiKey,
            ["AGENTS_SECRET_KEY"] = FakeCloudStackApi.SecretKey,
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("web-frontend", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task url_and_keys_come_from_the_stack_file_of_a_running_stack()
    {
        _api.Handler = (_, _) => Vms();
        Directory.CreateDirectory(Path.Combine(_directory, ".run"));
        await File.WriteAllTextAsync(Path.Combine(_directory, ".run", "stack.json"),
            $$"""{"pid": 1, "apiUrl": "http://127.0.0.1:{{_api.Port}}", "apiKey": "{{FakeCloudStackApi.ApiKey}}", "secretKey": "{{FakeCloudStackApi.SecretKey}}"}""");
        var below = Directory.CreateDirectory(Path.Combine(_directory, "some", "where")).FullName;

        var run = await AgentCtl.RunAsync(["vms", "--filter", "id,state"], below);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Stopped", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("web-frontend", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_a_url_anywhere_agentctl_exits_2_and_says_where_it_looked()
    {
        var run = await AgentCtl.RunAsync(["vms"], _directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("AGENTS_API_URL", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task an_argument_that_is_not_key_value_exits_2_and_sends_nothing()
    {
        var run = await RunAsync("listVirtualMachines", "routerid");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'routerid' is not key=value", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(_api.Calls);
    }
}
