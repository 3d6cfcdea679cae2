using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Agents.Audit;
using Agents.Storage;
using Agents.Storage.Audit;
using Agents.Producers.Tests.Support;
using Agents.Testing;
using Agents.VmAgent.Core.Crypto;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Tests;

/// <summary>
/// Clients written for CloudStack, not for us: the Go library of Terraform's CloudStack provider
/// (Debian's golang-github-xanzy-go-cloudstack-dev, built offline), CloudMonkey's cache loader's
/// type checks on listApis, and CloudStack's answer shapes (XML, errors, empty lists, paging).
/// </summary>
[Collection(WorldCollection.Name)]
public sealed class CloudStackClientTests(World world)
{
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
        var source = Path.Combine(AppContext.BaseDirectory, "GoClient");
        var build = await ProcessRunner.RunAsync("sh", ["-c", "cd \"$1\" && exec go build -o \"$2\" .", "sh", source, output],
            new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off", ["GOPATH"] = "/usr/share/gocode", ["GOFLAGS"] = "",
                ["GOCACHE"] = Path.Combine(Path.GetDirectoryName(output)!, "cache"), ["HOME"] = Path.GetDirectoryName(output)!,
            }, TimeSpan.FromMinutes(5));
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
        var steps = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', 2)).ToDictionary(p => p[0], p => JObject.Parse(p[1]));
        Assert.True(steps["listVirtualMachines"].Value<int>("count") >= World.AgentCount, run.Stdout);
        Assert.Contains(vm, steps["listVirtualMachines"]["ids"]!.Values<string>());
        var reset = steps["resetPasswordForVirtualMachine"];
        Assert.Equal(vm, reset.Value<string>("id"));
        var password = reset.Value<string>("password")!;
        Assert.True(password.Length >= 12, run.Stdout);
        Assert.True(Sha512Crypt.Verify(password, world.AgentOf(vm).Sandbox.ShadowHash("root")!), "the VM's shadow hash does not verify the password the Go client got");
        Assert.True(steps["listEvents"].Value<int>("count") > 0 && steps["listEvents"].Value<int>("page") is > 0 and <= 5, run.Stdout);
        Assert.Contains("resetPasswordForVirtualMachine", steps["listApis"]["names"]!.Values<string>());
        Assert.Contains("CloudStack API error 431 (CSExceptionErrorCode: 4350)", steps["refused"].Value<string>("error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task list_apis_passes_cloudmonkeys_cache_loader_type_checks_and_lists_every_handler_by_role()
    {
        var (status, text) = await RawAsync(world.Admin, "listApis");
        Assert.Equal(HttpStatusCode.OK, status);
        var check = await ProcessRunner.RunAsync("python3", [Path.Combine(AppContext.BaseDirectory, "cloudmonkey_cache_check.py")], stdin: text);
        Assert.True(check.ExitCode == 0, check.Output);

        var apis = JObject.Parse(text)["listapisresponse"]!["api"]!.Select(a => a.Value<string>("name")!).ToList();
        Assert.Equal(int.Parse(check.Stdout.Trim(), CultureInfo.InvariantCulture), apis.Count);
        foreach (var name in new[] { "login", "logout", "listApis", "listConfigurations", "updateConfiguration", "createAccount", "registerUserKeys", "queryAsyncJobResult" })
            Assert.Contains(name, apis);

        var user = await UserClientAsync("apis-user");
        var userApis = (await user.OkAsync("listApis"))["api"]!.Select(a => a.Value<string>("name")).ToList();
        Assert.Contains("listVirtualMachines", userApis);
        Assert.DoesNotContain("updateConfiguration", userApis);
        Assert.DoesNotContain("issueCertificate", userApis);

        var one = await world.Admin.OkAsync("listApis", ("name", "resetPasswordForVirtualMachine"));
        Assert.Equal(1, one.Value<int>("count"));
        var api = one["api"]![0]!;
        Assert.True(api.Value<bool>("isasync"));
        var id = api["params"]!.Single(p => p.Value<string>("name") == "id");
        Assert.Equal("uuid", id.Value<string>("type"));
        Assert.True(id.Value<bool>("required"));
        Assert.Contains("listVirtualMachines", id.Value<string>("related")!.Split(','));
        var (hidden, body) = await user.CallAsync("listApis", ("name", "updateConfiguration"));
        Assert.Equal(530, (int)hidden);
        Assert.Equal(530, body["listapisresponse"]!.Value<int>("errorcode"));
    }

    [Fact]
    public async Task without_response_json_the_answer_is_cloudstacks_xml_with_the_same_content()
    {
        var (jsonStatus, json) = await RawAsync(world.Admin, "listVirtualMachines", ("id", World.VmId(1)));
        var (xmlStatus, xml) = await RawAsync(world.Admin, "listVirtualMachines", json: false, ("id", World.VmId(1)));

        Assert.Equal(HttpStatusCode.OK, jsonStatus);
        Assert.Equal(HttpStatusCode.OK, xmlStatus);
        var root = XDocument.Parse(xml).Root!;
        Assert.Equal("listvirtualmachinesresponse", root.Name.LocalName);
        Assert.NotNull(root.Attribute("cloud-stack-version"));
        var vm = System.Text.Json.Nodes.JsonNode.Parse(json)!["listvirtualmachinesresponse"]!;
        Assert.Equal(vm["count"]!.ToJsonString(), root.Element("count")!.Value);
        var fromJson = vm["virtualmachine"]![0]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var fromXml = root.Element("virtualmachine")!.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value);
        Assert.Equal(fromJson.OrderBy(p => p.Key), fromXml.OrderBy(p => p.Key));

        var (errorStatus, errorXml) = await RawAsync(world.Admin, "resetPasswordForVirtualMachine", json: false);
        Assert.Equal(431, (int)errorStatus);
        var error = XDocument.Parse(errorXml).Root!;
        Assert.Equal("resetpasswordforvirtualmachineresponse", error.Name.LocalName);
        Assert.Equal("431", error.Element("errorcode")!.Value);
        Assert.Equal("9999", error.Element("cserrorcode")!.Value);
    }

    [Fact]
    public async Task an_empty_list_is_an_empty_object_and_paging_counts_every_match_without_skipping_or_repeating()
    {
        var (status, text) = await RawAsync(world.Admin, "listVirtualMachines", ("account", "nobody-has-this"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"listvirtualmachinesresponse\":{}}", text);

        for (var i = 0; i < 7; i++)
            await world.Admin.OkAsync("registerVirtualMachine", ("id", $"vm-page-{i}"), ("routerid", World.RouterId), ("account", "pager"));
        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var list = await world.Admin.OkAsync("listVirtualMachines", ("account", "pager"), ("page", page.ToString(CultureInfo.InvariantCulture)), ("pagesize", "3"));
            Assert.Equal(7, list.Value<int>("count"));
            seen.AddRange(list["virtualmachine"]!.Select(v => v.Value<string>("id")!));
        }
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"vm-page-{i}").Order(), seen.Order());
        Assert.Equal(7, seen.Distinct().Count());

        var beyond = await world.Admin.OkAsync("listVirtualMachines", ("account", "pager"), ("page", "9"), ("pagesize", "3"));
        Assert.Equal(7, beyond.Value<int>("count"));
        Assert.Null(beyond["virtualmachine"]);
        Assert.Equal(7, (await world.Admin.OkAsync("listVirtualMachines", ("account", "pager"), ("pagesize", "-1")))["virtualmachine"]!.Count());
        Assert.Equal(1, (await world.Admin.OkAsync("listVirtualMachines", ("account", "pager"), ("keyword", "vm-page-4"))).Value<int>("count"));
        var (refused, body) = await world.Admin.CallAsync("listVirtualMachines", ("pagesize", "3"));
        Assert.Equal(431, (int)refused);
        Assert.Equal("\"page\" parameter is required when \"pagesize\" is specified", body["listvirtualmachinesresponse"]!.Value<string>("errortext"));
    }

    [Fact]
    public async Task every_refusal_class_is_answered_in_cloudstacks_form()
    {
        var alice = await UserClientAsync("refusals-user");
        await world.Admin.OkAsync("registerVirtualMachine", ("id", "vm-refusal-other"), ("routerid", World.RouterId), ("account", "someone-else"));
        var expired = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
        var cases = new (string Name, Func<Task<(HttpStatusCode, string)>> Send, string Response, int Code, int? CsCode)[]
        {
            ("unknown command", () => RawAsync(world.Admin, "deployVirtualMachine"), "errorresponse", 432, 9999),
            ("unknown command without a signature", () => GetAsync("command=deployVirtualMachine&response=json"), "errorresponse", 432, 9999),
            ("bad signature", () => RawAsync(world.Client(world.AdminApiKey, "not-the-secret"), "listVirtualMachines"), "listvirtualmachinesresponse", 401, null),
            ("expired", () => RawAsync(world.Admin, "listVirtualMachines", ("signatureversion", "3"), ("expires", expired)), "listvirtualmachinesresponse", 401, null),
            ("no session and no signature", () => GetAsync("command=listVirtualMachines&response=json"), "listvirtualmachinesresponse", 401, null),
            ("missing parameter", () => RawAsync(world.Admin, "resetPasswordForVirtualMachine"), "resetpasswordforvirtualmachineresponse", 431, 9999),
            ("another account's VM", () => RawAsync(alice, "resetPasswordForVirtualMachine", ("id", "vm-refusal-other")), "resetpasswordforvirtualmachineresponse", 531, 4365),
            ("an admin command for a user", () => RawAsync(alice, "updateConfiguration", ("name", "agents.provisioning.retries"), ("value", "2")), "updateconfigurationresponse", 432, 9999),
        };
        var wrong = new List<string>();
        foreach (var (name, send, response, code, cs) in cases)
        {
            var (status, text) = await send();
            var inner = JObject.Parse(text)[response] as JObject;
            if ((int)status != code || inner is null || inner.Value<int>("errorcode") != code || inner["uuidList"] is not JArray
                || inner.Value<int?>("cserrorcode") != cs || string.IsNullOrEmpty(inner.Value<string>("errortext")))
                wrong.Add($"{name}: HTTP {(int)status} {text}");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private async Task<ApiClient> UserClientAsync(string account)
    {
        var keys = (await world.Admin.OkAsync("registerUserKeys", ("account", account)))["userkeys"]!;
        return world.Client(keys.Value<string>("apikey")!, keys.Value<string>("secretkey")!);
    }

    private Task<(HttpStatusCode, string)> RawAsync(ApiClient client, string command, params (string Name, string Value)[] parameters) =>
        RawAsync(client, command, true, parameters);

    /// <summary>A signed GET, its body as text; <paramref name="json"/> false leaves <c>response</c> out (CloudStack's XML default).</summary>
    private async Task<(HttpStatusCode, string)> RawAsync(ApiClient client, string command, bool json, params (string Name, string Value)[] parameters)
    {
        var all = new List<(string Name, string Value)> { ("command", command) };
        if (json) all.Add(("response", "json"));
        all.Add(("apiKey", client.ApiKey));
        all.AddRange(parameters);
        return await GetAsync(ApiClient.Query(all) + "&signature=" + Uri.EscapeDataString(ApiClient.Sign(all, client.SecretKey)));
    }

    private async Task<(HttpStatusCode, string)> GetAsync(string query)
    {
        using var response = await world.Http.GetAsync("/client/api?" + query);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
