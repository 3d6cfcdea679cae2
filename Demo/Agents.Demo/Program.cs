using System.Runtime.InteropServices;
using Agents.Demo.Stack;
using Agents.Demo.Steps;
using Spectre.Console;

// ./run demo → `Agents.Demo demo <runDir>`: every use case end to end, then everything stops.
// ./run up   → `Agents.Demo up <runDir>`: the same stack left running until SIGTERM (./run down).
// no ANSI codes into pipes and files (./run up's up.log), and no colour when NO_COLOR is set (no-color.org)
if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 })
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.NoColors,
    });
var verb = args.ElementAtOrDefault(0) ?? "demo";
var runDirectory = args.ElementAtOrDefault(1) ?? Path.Combine(".run", "demo-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
// ./run up --cluster: a private MariaDB, two API, two CA and two consumers instances, the API's front
var cluster = args.Contains("--cluster");
if (cluster && verb != "up")
{
    Console.Error.WriteLine("--cluster goes with up only (./run up --cluster)");
    return 2;
}
var layout = StackLayout.Create(runDirectory, cluster);

await using var stack = new DemoStack(layout, StepRunner.Say);
var steps = new StepRunner();
await steps.RunAsync(cluster
    ? "start the cluster: broker, MariaDB, 2 CA, 2 consumers, 2 API behind the front, SMTP, bridge, 3 agents"
    : "start the stack: broker, CA, API, consumers, SMTP, bridge, 3 agents", async () =>
{
    await stack.StartAsync();
    return $"{stack.Services.Count()} processes up, logs in {layout.LogDirectory}";
});
if (!steps.AllDone)
{
    steps.PrintSummary();
    return 1;
}

if (verb == "up")
{
    var stackFile = StackInfo.Write(stack, Path.Combine(".run", "stack.json"));
    StepRunner.Say($"stack is up; details in {stackFile}. Stop it with ./run down.");
    StepRunner.Say($"console: {layout.ConsoleUrl} (user {DemoStack.AdminUser}, password in {stackFile})");
    var stopped = new TaskCompletionSource();
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
    await stopped.Task;
    StepRunner.Say("stopping the stack");
    File.Delete(stackFile);
    return 0;
}

var useCases = new UseCases(stack);
await steps.RunAsync("sign in to the operator console", useCases.ConsoleSignInAsync);
await steps.RunAsync("reset a VM's password", useCases.ResetPasswordAsync);
await steps.RunAsync("reset a VM's SSH key", useCases.ResetSshKeyAsync);
await steps.RunAsync("run an allowed recipe", useCases.AllowedRecipeAsync);
await steps.RunAsync("a forbidden recipe is refused", useCases.ForbiddenRecipeAsync);
await steps.RunAsync("fan a recipe out with rate control", useCases.FanOutAsync);
await steps.RunAsync("patch the router", useCases.PatchRouterAsync);
await steps.RunAsync("run the router's health checks", useCases.HealthChecksAsync);
var systemVms = new SystemVmUseCases(stack);
await steps.RunAsync("system VMs: an SSVM and a CPVM enroll their privileged agents and are listed", systemVms.StartAndListAsync);
await steps.RunAsync("system VMs: health checks run by their agents", systemVms.HealthChecksAsync);
await steps.RunAsync("system VMs: patchSystemVm with one outcome per target", systemVms.PatchAsync);
await steps.RunAsync("system VMs: certificates renewed (provisionCertificate)", systemVms.RenewCertificatesAsync);
await steps.RunAsync("certificates close to expiry: alert e-mail, automatic renewal", useCases.CertificateNearExpiryAsync);
await steps.RunAsync("revoke an agent's certificate: it is cut off; it and an impostor are refused and audited", useCases.RevokeAsync);
await steps.RunAsync("an agent stops: retries, then the unreachable alert", useCases.UnreachableAgentAsync);
var missingAgent = new MissingAgent(stack);
await steps.RunAsync("a VM without an agent: a job at once, retries, then the alert e-mail with the install steps", missingAgent.NeverInstalledAsync);
await steps.RunAsync("a VM whose agent enrolls during the retries: the password is sealed to it and applied", missingAgent.EnrollsDuringRetriesAsync);
steps.PrintSummary();
StepRunner.Say($"logs of every service: {layout.LogDirectory}; mailbox: {layout.MailDirectory}");
return steps.AllDone ? 0 : 1;
