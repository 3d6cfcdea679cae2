using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Contracts.Commands;
using Agents.Security.Sealing;
using Agents.Testing;
using Agents.VmAgent.Core.Crypto;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Tests.Support;

namespace Agents.Bench.Figures;

/// <summary>
/// The alternative a user would pick: one password reset on each of N targets, with Ansible
/// (Debian's ansible, the user module, N chroot sandboxes in a private mount namespace; see
/// bench/Agents.Bench/Ansible/sandbox.sh) and with this system (ResetVmPassword through the
/// bridge process and mutual TLS to N agents, each with its own sandbox), in the same run, with
/// the same concurrency (Ansible's forks, commands in flight). Both effects are checked in every
/// target's shadow file, and the host's account files are checked unchanged.
/// </summary>
public sealed class AnsibleComparison(RabbitMqNode node, TestPki pki, string directory)
{
    private const string User = "bench";
    private static readonly string[] HostAccountFiles = ["/etc/shadow", "/etc/passwd", "/etc/group", "/etc/gshadow"];

    public async Task RunAsync(Results results, int targets, int concurrency)
    {
        var section = $"Ansible comparison, {targets} targets";
        var ansibleSeconds = await AnsibleAsync(results, targets, concurrency);
        var oursSeconds = await ThisSystemAsync(targets, concurrency);
        results.Add(new Figure(section, $"Ansible: user module over {targets} chroot targets ({concurrency} forks), wall time", ansibleSeconds, "s"));
        results.Add(new Figure(section, $"this system: ResetVmPassword to {targets} agents ({concurrency} in flight), wall time (ratio: lower is better)",
            oursSeconds, "s", ansibleSeconds, "Ansible's wall time"));
        results.Add(new Figure(section, $"Ansible: password resets per second ({concurrency} forks)", targets / ansibleSeconds, "targets/s"));
        results.Add(new Figure(section, $"this system: password resets per second ({concurrency} in flight)", targets / oursSeconds, "targets/s",
            targets / ansibleSeconds, "Ansible's rate"));
    }

    /// <summary>ansible-playbook alone (as sandbox.sh times it); the targets are built before the clock starts.</summary>
    private async Task<double> AnsibleAsync(Results results, int targets, int concurrency)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
            throw new InvalidOperationException("the Ansible side needs root on Linux (chroot targets in a private mount namespace)");
        var version = await ProcessRunner.RunAsync("ansible-playbook", ["--version"]);
        if (version.ExitCode != 0) throw new InvalidOperationException("ansible-playbook is not installed (apt-get install ansible; ./run bench installs it)");
        results.Note($"ansible: {version.Stdout.Split('\n')[0].Trim()}, community.general.chroot connection, pipelining on, facts off");

        var dir = Directory.CreateDirectory(Path.Combine(directory, "ansible")).FullName;
        var password = NewPassword();
        var hash = Sha512Crypt.Hash(password);
        await File.WriteAllTextAsync(Path.Combine(dir, "password.json"), JsonSerializer.Serialize(new Dictionary<string, string> { ["password_hash"] = hash }));
        var before = HostAccountChecksums();
        var script = Path.Combine(RepositoryPaths.Root, "bench", "Agents.Bench", "Ansible", "sandbox.sh");
        var run = await ProcessRunner.RunAsync("unshare",
            ["--mount", "--propagation", "private", "/bin/sh", script, dir, targets.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(10));
        await File.WriteAllTextAsync(Path.Combine(dir, "ansible.log"), run.Output);

        // the effect and its containment, before any number is believed
        if (File.ReadLines("/proc/self/mountinfo").Any(l => l.Contains(dir, StringComparison.Ordinal)))
            throw new InvalidOperationException($"a sandbox mount under {dir} is visible outside its namespace");
        if (!before.SequenceEqual(HostAccountChecksums()))
            throw new InvalidOperationException("the host's account files changed during the Ansible run");
        var line = run.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("ANSIBLE_WALL_NS=", StringComparison.Ordinal));
        if (run.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"ansible-playbook failed ({run.ExitCode}):\n{string.Join('\n', run.Output.Split('\n').TakeLast(20))}");
        var missing = Enumerable.Range(0, targets)
            .Count(i => new SandboxGuestOs(Path.Combine(dir, "targets", $"t{i:D4}")).ShadowHash(User) != hash);
        if (missing > 0) throw new InvalidOperationException($"{missing} of {targets} Ansible targets do not hold the new hash in their etc/shadow");
        return long.Parse(line["ANSIBLE_WALL_NS=".Length..], CultureInfo.InvariantCulture) / 1e9;
    }

    /// <summary>From the first publish to the last outcome event, after one warm-up round (a running system is warm).</summary>
    private async Task<double> ThisSystemAsync(int targets, int concurrency)
    {
        await using var bridge = await BridgeProcess.StartAsync(node, pki, Path.Combine(directory, "bridge-ansible"));
        await using var fleet = new AgentFleet(pki, Path.Combine(directory, "fleet-ansible"), bridge.Port, sandboxPerAgent: true);
        await using var driver = new CommandDriver(node.AmqpUri());
        await driver.StartAsync(node.AmqpUri());
        await fleet.GrowToAsync(targets, TimeSpan.FromMinutes(2));
        var certificates = Enumerable.Range(0, targets).ToDictionary(AgentFleet.VmId, fleet.Certificate);
        try
        {
            driver.CommandType = CommandTypes.ResetVmPassword;
            // the lambda reads `password` when each command is published: the measured round seals the second one
            var password = NewPassword();
            driver.PayloadFor = vm => AgentCommand.PayloadOf(new ResetVmPassword { Username = User, SealedPassword = SecretSealer.Seal(password, certificates[vm]) });
            await driver.ThroughputAsync(targets, targets, concurrency);
            password = NewPassword();
            var watch = Stopwatch.StartNew();
            await driver.ThroughputAsync(targets, targets, concurrency);
            var seconds = watch.Elapsed.TotalSeconds;
            if (driver.Failures > 0) throw new InvalidOperationException($"{driver.Failures} password resets did not succeed, the first: {driver.FirstFailure}");
            var missing = Enumerable.Range(0, targets)
                .Count(i => new SandboxGuestOs(fleet.SandboxRoot(i)).ShadowHash(User) is not { } h || !Sha512Crypt.Verify(password, h));
            if (missing > 0) throw new InvalidOperationException($"{missing} of {targets} agents' sandboxes do not hold the new password in their etc/shadow");
            return seconds;
        }
        finally
        {
            foreach (var c in certificates.Values) c.Dispose();
        }
    }

    private static string NewPassword() => "Bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>sha256 of the host's own account files: compared before and after, never printed.</summary>
    private static string[] HostAccountChecksums() =>
        HostAccountFiles.Select(f => File.Exists(f) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))) : "absent").ToArray();
}
