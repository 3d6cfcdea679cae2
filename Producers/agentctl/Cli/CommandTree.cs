using System.CommandLine;
using System.Globalization;
using Agents.Producers.Client;
using Spectre.Console;

namespace Agents.Cli.Cli;

/// <summary>
/// <c>agentctl &lt;apiCommand&gt; key=value …</c> mirrors the whole API generically; the verbs below are
/// short names for the common calls. Global options work before or after the verb.
/// </summary>
public static class CommandTree
{
    private static readonly Option<string?> Url = new("--url") { Description = "API endpoint (env AGENTS_API_URL, else .run/stack.json)", Recursive = true };
    private static readonly Option<string?> ApiKey = new("--api-key") { Description = "API key (env AGENTS_API_KEY)", Recursive = true };
    private static readonly Option<string?> SecretKey = new("--secret-key") { Description = "secret key (env AGENTS_SECRET_KEY)", Recursive = true };
    private static readonly Option<string?> Stack = new("--stack") { Description = "a stack.json to read url and keys from (default: .run/stack.json here or above)", Recursive = true };
    private static readonly Option<bool> Json = new("--json") { Description = "print the JSON response instead of tables", Recursive = true };
    private static readonly Option<string?> Filter = new("--filter") { Description = "columns to show, comma-separated (e.g. id,name,state)", Recursive = true };
    private static readonly Option<bool> NoWait = new("--no-wait") { Description = "print the jobid of an async call instead of waiting for the job", Recursive = true };
    private static readonly Option<int> Timeout = new("--timeout") { Description = "seconds to wait for an async job", DefaultValueFactory = _ => 600, Recursive = true };
    private static readonly Option<int> PollMs = new("--poll-ms") { Description = "milliseconds before the first queryAsyncJobResult poll (each next wait doubles, up to 2 s)", DefaultValueFactory = _ => 100, Recursive = true, Hidden = true };

    public static RootCommand Build(IAnsiConsole console, IAnsiConsole progress, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("agentctl: the Agents Framework API from a shell, CloudMonkey style. agentctl <apiCommand> key=value ... or a verb below.");
        foreach (var option in new Option[] { Url, ApiKey, SecretKey, Stack, Json, Filter, NoWait, Timeout, PollMs }) root.Options.Add(option);
        var apiCommand = new Argument<string?>("apiCommand") { Description = "any API command, e.g. listVirtualMachines", Arity = ArgumentArity.ZeroOrOne };
        var parameters = new Argument<string[]>("parameters") { Description = "key=value ...", Arity = ArgumentArity.ZeroOrMore };
        root.Arguments.Add(apiCommand);
        root.Arguments.Add(parameters);
        root.SetAction((result, ct) =>
        {
            var name = result.GetValue(apiCommand);
            if (string.IsNullOrEmpty(name))
            {
                error.WriteLine("agentctl: name an API command (e.g. listVirtualMachines) or a verb; agentctl --help lists them");
                return Task.FromResult(2);
            }
            return RunAsync(result, console, progress, output, error, name, () => ApiParameters.Parse(result.GetValue(parameters) ?? []), ct);
        });

        var vm = new Argument<string>("vm") { Description = "virtual machine id" };
        var job = new Argument<string>("jobid");
        var router = new Option<string?>("--router") { Description = "router id" };

        Add(root, console, progress, output, error, "vms", "list virtual machines (listVirtualMachines)", [router], r =>
            ("listVirtualMachines", Some(("routerid", r.GetValue(router)))));
        var state = new Option<string?>("--state") { Description = "Connected or Disconnected" };
        Add(root, console, progress, output, error, "agents", "list agents and their connection state (listAgents)", [router, state], r =>
            ("listAgents", Some(("routerid", r.GetValue(router)), ("state", r.GetValue(state)))));
        Add(root, console, progress, output, error, "jobs", "list async jobs (listAsyncJobs)", [], _ => ("listAsyncJobs", []));
        Add(root, console, progress, output, error, "job", "show a job, waiting while it runs (queryAsyncJobResult)", [job], r =>
            ("queryAsyncJobResult", Some(("jobid", r.GetValue(job)))));
        Add(root, console, progress, output, error, "cancel", "cancel a job's targets not yet sent (cancelAsyncJob)", [job], r =>
            ("cancelAsyncJob", Some(("jobid", r.GetValue(job)))));
        Add(root, console, progress, output, error, "reset-password", "reset a VM's password and print the new one (resetPasswordForVirtualMachine)", [vm], r =>
            ("resetPasswordForVirtualMachine", Some(("id", r.GetValue(vm)))));
        var keypair = new Option<string>("--keypair") { Description = "registered SSH key pair name", Required = true };
        Add(root, console, progress, output, error, "reset-ssh-key", "put a registered key pair into a VM (resetSSHKeyForVirtualMachine)", [vm, keypair], r =>
            ("resetSSHKeyForVirtualMachine", Some(("id", r.GetValue(vm)), ("keypair", r.GetValue(keypair)))));
        AddFileVerbs(root, console, progress, output, error, router);
        Add(root, console, progress, output, error, "rekey", "make a VM's agent take a new key and certificate (provisionCertificate)", [vm], r =>
            ("provisionCertificate", Some(("virtualmachineid", r.GetValue(vm)))));
        var routerId = new Argument<string>("router") { Description = "router id" };
        var fresh = new Option<bool>("--fresh") { Description = "run the checks now instead of reporting the last results" };
        Add(root, console, progress, output, error, "health", "a router's health check results (getRouterHealthCheckResults)", [routerId, fresh], r =>
            ("getRouterHealthCheckResults", Some(("routerid", r.GetValue(routerId)), ("performfreshchecks", r.GetValue(fresh) ? "true" : null))));

        var recipe = new Argument<string>("recipe") { Description = "recipe name (the VM's policy must allow it)" };
        var vms = new Option<string[]>("--vm") { Description = "target VM id (repeat for a fan-out)" };
        var parameter = new Option<string[]>("--param") { Description = "KEY=VALUE for the recipe (repeatable; reaches it as RECIPE_KEY)" };
        var concurrency = new Option<int?>("--max-concurrency") { Description = "targets in flight at once" };
        var maxErrors = new Option<string?>("--max-errors") { Description = "stop sending after this many failures (number or percentage, e.g. 10%)" };
        var recipeTimeout = new Option<int?>("--recipe-timeout") { Description = "seconds the recipe may run on each VM" };
        Add(root, console, progress, output, error, "run-recipe", "run a recipe on one or many VMs, with progress (runAgentRecipe)",
            [recipe, vms, router, parameter, concurrency, maxErrors, recipeTimeout], r =>
            {
                var list = Some(("name", r.GetValue(recipe)), ("virtualmachineids", Join(r.GetValue(vms))), ("routerid", r.GetValue(router)),
                    ("maxconcurrency", Number(r.GetValue(concurrency))), ("maxerrors", r.GetValue(maxErrors)), ("timeout", Number(r.GetValue(recipeTimeout))));
                list.AddRange(ApiParameters.Map("parameters", r.GetValue(parameter) ?? []));
                return ("runAgentRecipe", list);
            });
        return root;
    }

    /// <summary>
    /// The verbs whose answer is one text an install writes to a file (docker-compose's init step):
    /// <c>enroll-token</c> (a VM's or, with --router, a router's one-time token) and <c>ca-cert</c>.
    /// </summary>
    private static void AddFileVerbs(RootCommand root, IAnsiConsole console, IAnsiConsole progress, TextWriter output, TextWriter error, Option<string?> router)
    {
        var vm = new Argument<string?>("vm") { Description = "virtual machine id (or --router)", Arity = ArgumentArity.ZeroOrOne };
        var tokenFile = new Option<string?>("--out")
        {
            Description = "write the token alone to FILE (mode 0600) and print only whose it is; when FILE exists, make no new token (a re-run keeps the first)",
        };
        var enroll = new Command("enroll-token", "a one-time enrollment token for a VM's agent, or a router's bridge with --router (createAgentEnrollmentToken)") { vm, router, tokenFile };
        enroll.SetAction((result, ct) =>
        {
            var (vmId, routerId, file) = (result.GetValue(vm), result.GetValue(router), result.GetValue(tokenFile));
            if ((vmId is null) == (routerId is null))
            {
                error.WriteLine("agentctl: enroll-token: name a VM or --router ROUTER, not both");
                return Task.FromResult(2);
            }
            var parameters = Some(("virtualmachineid", vmId), ("routerid", routerId));
            if (file is null) return RunAsync(result, console, progress, output, error, "createAgentEnrollmentToken", () => parameters, ct);
            if (File.Exists(file))
            {
                error.WriteLine($"agentctl: {file} exists: no new token made");
                return Task.FromResult(0);
            }
            return Runner(result, console, progress, output, error).SaveAsync("createAgentEnrollmentToken", parameters, ["enrollmenttoken", "token"], file, secret: true,
                r => $"one-time token for {ResponseValues.Text(r["enrollmenttoken"]?["holder"])} (expires {ResponseValues.Text(r["enrollmenttoken"]?["expires"])})", ct);
        });
        root.Subcommands.Add(enroll);

        var caFile = new Option<string?>("--out") { Description = "write the certificate to FILE (replacing it) instead of printing it" };
        var ca = new Command("ca-cert", "the cloud's CA certificate, PEM, as agents trust it (listCaCertificate)") { caFile };
        ca.SetAction((result, ct) => Runner(result, console, progress, output, error).SaveAsync("listCaCertificate", [], ["cacertificates", "certificate"],
            result.GetValue(caFile), secret: false, _ => "the CA certificate", ct));
        root.Subcommands.Add(ca);
    }

    private static void Add(RootCommand root, IAnsiConsole console, IAnsiConsole progress, TextWriter output, TextWriter error, string name, string description,
        IReadOnlyList<Symbol> symbols, Func<ParseResult, (string Command, List<KeyValuePair<string, string>> Parameters)> call)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Arguments.Add(argument);
            else if (symbol is Option option) command.Options.Add(option);
        }
        command.SetAction((result, ct) =>
        {
            var (api, parameters) = call(result);
            return RunAsync(result, console, progress, output, error, api, () => parameters, ct);
        });
        root.Subcommands.Add(command);
    }

    private static async Task<int> RunAsync(ParseResult result, IAnsiConsole console, IAnsiConsole progress, TextWriter output, TextWriter error, string command,
        Func<IReadOnlyList<KeyValuePair<string, string>>> parameters, CancellationToken ct)
    {
        IReadOnlyList<KeyValuePair<string, string>> list;
        try { list = parameters(); }
        catch (Config.CliException e)
        {
            error.WriteLine($"agentctl: {e.Message}");
            return 2;
        }
        return await Runner(result, console, progress, output, error).RunAsync(command, list, ct).ConfigureAwait(false);
    }

    private static CliRunner Runner(ParseResult result, IAnsiConsole console, IAnsiConsole progress, TextWriter output, TextWriter error)
    {
        var settings = new CliSettings(result.GetValue(Url), result.GetValue(ApiKey), result.GetValue(SecretKey), result.GetValue(Stack),
            result.GetValue(Json), result.GetValue(Filter)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            result.GetValue(NoWait), TimeSpan.FromSeconds(Math.Max(1, result.GetValue(Timeout))), TimeSpan.FromMilliseconds(Math.Max(50, result.GetValue(PollMs))));
        return new CliRunner(settings, console, progress, output, error);
    }

    private static List<KeyValuePair<string, string>> Some(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)).ToList();

    private static string? Join(string[]? values) => values is { Length: > 0 } ? string.Join(',', values) : null;

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
