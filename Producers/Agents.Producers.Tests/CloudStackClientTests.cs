using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Agents.Audit;
using Agents.Producers.Client;
using Agents.Storage;
using Agents.Storage.Audit;
using Agents.Producers.Tests.Support;
using Agents.Testing;
using Agents.VmAgent.Core.Crypto;

namespace Agents.Producers.Tests;

/// <summary>
/// Clients written for CloudStack, not for us: the Go library of Terraform's CloudStack provider
/// (Debian's golang-github-xanzy-go-cloudstack-dev, built offline), CloudMonkey's cache loader's
/// type checks on listApis, and CloudStack's answer shapes (XML, errors, empty lists, paging).
/// Our own client library has its tests in ApiClientLibraryTests.
/// </summary>
[Collection(WorldCollection.Name)]
public sealed class CloudStackClientTests(World world)
{
    private ApiKeys Admin => new(world.AdminApiKey, world.AdminSecretKey);

    private async Task FillAuditLogAsync()
    {
        // what the consumers service does with every event: append it to the audit log
        var audit = await AuditStore.OpenAsync(Database.Sqlite(world.AuditDatabasePath));
        foreach (var carried in (await world.Tap.AllAsync()).Where(m => m.Exchange == Contracts.Topology.EventsExchange))
            await audit.AppendAsync(AuditRecordFactory.FromDelivery(carried.RoutingKey, Encoding.UTF8.GetBytes(carried.Body), null, DateTimeOffset.UtcNow));
    }

    private static async Task<string> BuildGoClientAsync()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("goclient-").FullName, "goclient");
        // GOPATH mode builds a package by relative path only: from its own folder
        var build = await ProcessRunner.RunAsync("go", ["build", "-o", output, "."],
            new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off", ["GOPATH"] = "/usr/share/gocode", ["GOFLAGS"] = "",
                ["GOCACHE"] = Path.Combine(Path.GetDirectoryName(output)!, "cache"), ["HOME"] = Path.GetDirectoryName(output)!,
            }, TimeSpan.FromMinutes(5), workingDirectory: Path.Combine(AppContext.BaseDirectory, "GoClient"));
        Assert.True(build.ExitCode == 0, "go build: " + build.Output);
        return output;
    }

    [Fact]
    public async Task the_go_cloudstack_client_lists_vms_resets_a_password_through_its_async_job_reads_events_and_lists_apis()
    {
        var client = await BuildGoClientAsync();
        var vm = World.VmId(3);
        await FillAuditLogAsync();

        var run = await ProcessRunner.RunAsync(client, [world.ApiUrl + "/client/api", world.AdminApiKey, world.AdminSecretKey, vm], timeout: TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.Output);
        var steps = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', 2))
            .ToDictionary(p => p[0], p => JsonNode.Parse(p[1])!.AsObject());
        Assert.True(ResponseValues.Count(steps["listVirtualMachines"]) >= World.AgentCount, run.Stdout);
        Assert.Contains(vm, Strings(steps["listVirtualMachines"]["ids"]));
        var reset = steps["resetPasswordForVirtualMachine"];
        Assert.Equal(vm, ResponseValues.Text(reset["id"]));
        var password = ResponseValues.Text(reset["password"]);
        Assert.True(password.Length >= 12, run.Stdout);
        Assert.True(Sha512Crypt.Verify(password, world.AgentOf(vm).Sandbox.ShadowHash("root")!), "the VM's shadow hash does not verify the password the Go client got");
        Assert.True(ResponseValues.Count(steps["listEvents"]) > 0 && ResponseValues.Int(steps["listEvents"]["page"]) is > 0 and <= 5, run.Stdout);
        Assert.Contains("resetPasswordForVirtualMachine", Strings(steps["listApis"]["names"]));
        Assert.Contains("CloudStack API error 431 (CSExceptionErrorCode: 4350)", ResponseValues.Text(steps["refused"]["error"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task list_apis_passes_cloudmonkeys_cache_loader_type_checks_and_lists_every_handler_by_role()
    {
        var listed = await RawAsync(Admin, "listApis");
        Assert.Equal(200, listed.Status);
        var check = await ProcessRunner.RunAsync("python3", [Path.Combine(AppContext.BaseDirectory, "cloudmonkey_cache_check.py")], stdin: listed.Text);
        Assert.True(check.ExitCode == 0, check.Output);

        var apis = Names(listed.Response!);
        Assert.Equal(int.Parse(check.Stdout.Trim(), CultureInfo.InvariantCulture), apis.Count);
        foreach (var name in new[] { "login", "logout", "listApis", "listConfigurations", "updateConfiguration", "createAccount", "registerUserKeys", "queryAsyncJobResult" })
            Assert.Contains(name, apis);

        using var user = world.Client(await UserKeysAsync("apis-user"));
        var userApis = Names(await user.CallAsync("listApis"));
        Assert.Contains("listVirtualMachines", userApis);
        Assert.DoesNotContain("updateConfiguration", userApis);
        Assert.DoesNotContain("issueCertificate", userApis);

        var one = await world.Admin.CallAsync("listApis", ("name", "resetPasswordForVirtualMachine"));
        Assert.Equal(1, ResponseValues.Count(one));
        var api = ResponseValues.Items(one, "api")[0];
        Assert.True(api["isasync"]!.GetValue<bool>());
        var id = ResponseValues.Items(api, "params").Single(p => ResponseValues.Text(p["name"]) == "id");
        Assert.Equal("uuid", ResponseValues.Text(id["type"]));
        Assert.True(id["required"]!.GetValue<bool>());
        Assert.Contains("listVirtualMachines", ResponseValues.Text(id["related"]).Split(','));
        var hidden = await ApiAssert.RefusedAsync(530, () => user.CallAsync("listApis", ("name", "updateConfiguration")));
        Assert.Equal("listapisresponse", hidden.ResponseName);
    }

    [Fact]
    public async Task without_response_json_the_answer_is_cloudstacks_xml_with_the_same_content()
    {
        var json = await RawAsync(Admin, "listVirtualMachines", ("id", World.VmId(1)));
        var xml = await RawAsync(Admin, "listVirtualMachines", json: false, ("id", World.VmId(1)));

        Assert.Equal(200, json.Status);
        Assert.Equal(200, xml.Status);
        var root = XDocument.Parse(xml.Text).Root!;
        Assert.Equal("listvirtualmachinesresponse", root.Name.LocalName);
        Assert.NotNull(root.Attribute("cloud-stack-version"));
        var vm = json.Response!;
        Assert.Equal(vm["count"]!.ToJsonString(), root.Element("count")!.Value);
        var fromJson = ResponseValues.Items(vm, "virtualmachine")[0].ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var fromXml = root.Element("virtualmachine")!.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value);
        Assert.Equal(fromJson.OrderBy(p => p.Key), fromXml.OrderBy(p => p.Key));

        var errorAnswer = await RawAsync(Admin, "resetPasswordForVirtualMachine", json: false);
        Assert.Equal(431, errorAnswer.Status);
        var error = XDocument.Parse(errorAnswer.Text).Root!;
        Assert.Equal("resetpasswordforvirtualmachineresponse", error.Name.LocalName);
        Assert.Equal("431", error.Element("errorcode")!.Value);
        Assert.Equal("9999", error.Element("cserrorcode")!.Value);
    }

    [Fact]
    public async Task an_empty_list_is_an_empty_object_and_paging_counts_every_match_without_skipping_or_repeating()
    {
        var empty = await RawAsync(Admin, "listVirtualMachines", ("account", "nobody-has-this"));
        Assert.Equal(200, empty.Status);
        Assert.Equal("{\"listvirtualmachinesresponse\":{}}", empty.Text);

        for (var i = 0; i < 7; i++)
            await world.Admin.CallAsync("registerVirtualMachine", ("id", $"vm-page-{i}"), ("routerid", World.RouterId), ("account", "pager"));
        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var list = await world.Admin.CallAsync("listVirtualMachines", ("account", "pager"), ("page", page.ToString(CultureInfo.InvariantCulture)), ("pagesize", "3"));
            Assert.Equal(7, ResponseValues.Count(list));
            seen.AddRange(ResponseValues.Items(list, "virtualmachine").Select(v => ResponseValues.Text(v["id"])));
        }
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"vm-page-{i}").Order(), seen.Order());
        Assert.Equal(7, seen.Distinct().Count());

        var beyond = await world.Admin.CallAsync("listVirtualMachines", ("account", "pager"), ("page", "9"), ("pagesize", "3"));
        Assert.Equal(7, ResponseValues.Count(beyond));
        Assert.Null(beyond["virtualmachine"]);
        Assert.Equal(7, ResponseValues.Items(await world.Admin.CallAsync("listVirtualMachines", ("account", "pager"), ("pagesize", "-1")), "virtualmachine").Count);
        Assert.Equal(1, ResponseValues.Count(await world.Admin.CallAsync("listVirtualMachines", ("account", "pager"), ("keyword", "vm-page-4"))));
        var refused = await ApiAssert.RefusedAsync(431, () => world.Admin.CallAsync("listVirtualMachines", ("pagesize", "3")));
        Assert.Equal("\"page\" parameter is required when \"pagesize\" is specified", refused.ErrorText);
    }

    [Fact]
    public async Task every_refusal_class_is_answered_in_cloudstacks_form()
    {
        var alice = await UserKeysAsync("refusals-user");
        await world.Admin.CallAsync("registerVirtualMachine", ("id", "vm-refusal-other"), ("routerid", World.RouterId), ("account", "someone-else"));
        var expired = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
        var cases = new (string Name, Func<Task<RawAnswer>> Send, string Response, int Code, int? CsCode)[]
        {
            ("unknown command", () => RawAsync(Admin, "deployVirtualMachine"), "errorresponse", 432, 9999),
            ("unknown command without a signature", () => GetAsync("command=deployVirtualMachine&response=json"), "errorresponse", 432, 9999),
            ("bad signature", () => RawAsync(Admin with { SecretKey = "not-the-secret" }, "listVirtualMachines"), "listvirtualmachinesresponse", 401, null),
            ("expired", () => RawAsync(Admin, "listVirtualMachines", ("signatureversion", "3"), ("expires", expired)), "listvirtualmachinesresponse", 401, null),
            ("no session and no signature", () => GetAsync("command=listVirtualMachines&response=json"), "listvirtualmachinesresponse", 401, null),
            ("missing parameter", () => RawAsync(Admin, "resetPasswordForVirtualMachine"), "resetpasswordforvirtualmachineresponse", 431, 9999),
            ("another account's VM", () => RawAsync(alice, "resetPasswordForVirtualMachine", ("id", "vm-refusal-other")), "resetpasswordforvirtualmachineresponse", 531, 4365),
            ("an admin command for a user", () => RawAsync(alice, "updateConfiguration", ("name", "agents.provisioning.retries"), ("value", "2")), "updateconfigurationresponse", 432, 9999),
        };
        var wrong = new List<string>();
        foreach (var (name, send, response, code, cs) in cases)
        {
            var answer = await send();
            var inner = answer.Body?[response] as JsonObject;
            if (answer.Status != code || inner is null || ResponseValues.Int(inner["errorcode"]) != code || inner["uuidList"] is not JsonArray
                || ResponseValues.Int(inner["cserrorcode"]) != cs || string.IsNullOrEmpty(ResponseValues.Text(inner["errortext"])))
                wrong.Add($"{name}: {answer}");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private async Task<ApiKeys> UserKeysAsync(string account)
    {
        var keys = (await world.Admin.CallAsync("registerUserKeys", ("account", account)))["userkeys"]!;
        return new ApiKeys(ResponseValues.Text(keys["apikey"]), ResponseValues.Text(keys["secretkey"]));
    }

    private static List<string> Names(JsonObject listApis) => [.. ResponseValues.Items(listApis, "api").Select(a => ResponseValues.Text(a["name"]))];

    private static IEnumerable<string> Strings(JsonNode? array) => (array as JsonArray)?.Select(ResponseValues.Text) ?? [];

    private Task<RawAnswer> RawAsync(ApiKeys keys, string command, params (string Name, string Value)[] parameters) =>
        RawAsync(keys, command, true, parameters);

    /// <summary>A signed GET, as it came back; <paramref name="json"/> false leaves <c>response</c> out (CloudStack's XML default).</summary>
    private Task<RawAnswer> RawAsync(ApiKeys keys, string command, bool json, params (string Name, string Value)[] parameters)
    {
        var all = new List<(string Name, string Value)> { ("command", command) };
        if (json) all.Add(("response", "json"));
        all.AddRange(parameters);
        return GetAsync(RawApi.Signed(keys.ApiKey, keys.SecretKey, all));
    }

    private Task<RawAnswer> GetAsync(string query) => RawApi.GetAsync(world.Http, world.ApiEndpoint, query);
}
