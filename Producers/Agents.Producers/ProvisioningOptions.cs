using System.ComponentModel.DataAnnotations;
using Agents.Contracts.Commands;

namespace Agents.Producers;

/// <summary>Global settings of command delivery (CloudStack-style names in docs/operations.md).</summary>
public sealed class ProvisioningOptions
{
    /// <summary>agents.provisioning.retries: new attempts after a DeliveryTimedOut before the job fails.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>agents.provisioning.retry.interval, seconds between attempts.</summary>
    public int RetryIntervalSeconds { get; set; } = 60;

    /// <summary>agents.command.delivery.timeout: how long the bridge waits for the agent to be connected.</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 60;

    /// <summary>agents.command.execution.timeout: how long the bridge waits for the agent's answer.</summary>
    public int ExecutionTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Seconds past its due time after which any API instance on the database takes over a job
    /// step its instance did not do (a retry not sent, a target claimed but never answered past
    /// the delivery and execution timeouts): how long a dead instance's jobs wait. The sweep runs
    /// every half of it.
    /// </summary>
    public int TakeoverAfterSeconds { get; set; } = 60;

    /// <summary>agents.password.ttl: minutes an unread reset password is kept (encrypted) before it is purged.</summary>
    public int PasswordTtlMinutes { get; set; } = 60;

    /// <summary>agents.password.length</summary>
    public int PasswordLength { get; set; } = 20;

    /// <summary>The user whose password/SSH keys are reset when the call names none.</summary>
    public string DefaultUsername { get; set; } = "root";

    /// <summary>agents.fanout.max.concurrency: maxconcurrency when a fan-out call gives none.</summary>
    public int DefaultMaxConcurrency { get; set; } = 10;

    /// <summary>agents.agent.iso: where an operator finds the agent installer; quoted in the no-agent alert.</summary>
    public string AgentIso { get; set; } = "the agents ISO agents-vm-agent.iso (register it as an ISO, attachIso to the VM, mount it)";

    /// <summary>agents.agent.packages: where the agent's packages (tarballs, zip) are, for VMs that cannot take an ISO; quoted in the no-agent alert.</summary>
    public string AgentPackages { get; set; } = "the agents-vm-agent tarball (Linux x64, arm64) and zip (Windows x64, x86) beside the ISO on the management server";

    /// <summary>agents.agent.install.command: the one line that installs the agent in the VM; {router} and {token} are for the operator to fill in.</summary>
    public string AgentInstallCommand { get; set; } =
        "Linux: sudo sh /mnt/linux/agents-vm-agent/install.sh --router <router address> --token <createAgentEnrollmentToken virtualmachineid=<vm>>; " +
        "Windows: .\\install-service.ps1 -Router <router address> -Token <token>";

    /// <summary>
    /// agents.command.batch.size: targets behind one router that one command message names (an
    /// AgentCommandBatch); a bigger send goes as several. 1 sends one message per target.
    /// </summary>
    public int CommandBatchSize { get; set; } = 500;

    /// <summary>Timeout of one request to the CA on ca.requests.</summary>
    public int CaTimeoutSeconds { get; set; } = 30;

    internal IEnumerable<ValidationResult> Check()
    {
        if (Retries is < 0 or > 100) yield return Bad("Retries", "agents.provisioning.retries must be 0..100");
        if (RetryIntervalSeconds is < 1 or > 86_400) yield return Bad("RetryIntervalSeconds", "agents.provisioning.retry.interval must be 1..86400 s");
        if (DeliveryTimeoutSeconds is < 1 or > 86_400) yield return Bad("DeliveryTimeoutSeconds", "must be 1..86400 s");
        if (ExecutionTimeoutSeconds is < 1 or > 86_400) yield return Bad("ExecutionTimeoutSeconds", "must be 1..86400 s");
        if (TakeoverAfterSeconds is < 2 or > 86_400) yield return Bad("TakeoverAfterSeconds", "must be 2..86400 s");
        if (PasswordTtlMinutes is < 1 or > 10_080) yield return Bad("PasswordTtlMinutes", "agents.password.ttl must be 1..10080 min");
        if (PasswordLength is < 12 or > 128) yield return Bad("PasswordLength", "agents.password.length must be 12..128");
        if (DefaultMaxConcurrency is < 1 or > 10_000) yield return Bad("DefaultMaxConcurrency", "must be 1..10000");
        if (CommandBatchSize is < 1 or > AgentCommandBatch.MaxTargets) yield return Bad("CommandBatchSize", $"agents.command.batch.size must be 1..{AgentCommandBatch.MaxTargets}");
        if (CaTimeoutSeconds is < 1 or > 600) yield return Bad("CaTimeoutSeconds", "must be 1..600 s");
        if (string.IsNullOrWhiteSpace(AgentIso)) yield return Bad("AgentIso", "agents.agent.iso must not be empty");
        if (string.IsNullOrWhiteSpace(AgentInstallCommand)) yield return Bad("AgentInstallCommand", "agents.agent.install.command must not be empty");
        if (string.IsNullOrWhiteSpace(DefaultUsername)) yield return Bad("DefaultUsername", "must not be empty");
    }

    private static ValidationResult Bad(string name, string text) =>
        new($"Producers:Provisioning:{name}: {text}", [name]);
}
