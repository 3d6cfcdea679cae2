namespace Agents.Producers.Settings;

/// <summary>
/// The framework's settings that updateConfiguration changes at run time, under CloudStack's
/// names where CloudStack has the setting (agents.* are this framework's own). Secrets (the SMTP
/// password, the CA key passphrase) are not among them: they stay in each service's configuration.
/// </summary>
public static class GlobalSettings
{
    public const string AuthStrictness = "ca.plugin.root.auth.strictness";
    public const string AllowExpiredCert = "ca.plugin.root.allow.expired.cert";
    public const string ProvisioningRetries = "agents.provisioning.retries";
    public const string ProvisioningRetryInterval = "agents.provisioning.retry.interval";
    public const string AgentIso = "agents.agent.iso";
    public const string AgentPackages = "agents.agent.packages";
    public const string AgentInstallCommand = "agents.agent.install.command";

    private const string Ca = "CAManager";
    private const string Router = "VirtualNetworkApplianceManager";
    private const string Alerts = "AlertManager";
    private const string Agents = "AgentsManager";

    public static IReadOnlyList<GlobalSetting> All { get; } =
    [
        new(AuthStrictness, "Advanced", Ca, SettingType.Boolean, "true",
            "Set client auth strictness, setting to true will enforce and require client certificate for authentication in applicable CA providers") { Group = "Security" },
        new(AllowExpiredCert, "Advanced", Ca, SettingType.Boolean, "false",
            "When set to true, it will allow expired client certificate during SSL handshake.") { Group = "Security" },
        new("ca.framework.cert.validity.period", "Advanced", Ca, SettingType.Integer, "90",
            "Certificate validity in days.") { Min = 1, Max = 3650, Group = "Security" },
        new("ca.framework.cert.expiry.alert.period", "Advanced", Ca, SettingType.Integer, "15",
            "Number of days to check and alert expiring certificates.") { Min = 1, Max = 365, Group = "Security" },
        new("ca.framework.cert.automatic.renewal", "Advanced", Ca, SettingType.Boolean, "true",
            "Enable automatic renewal and provisioning of certificate to agents as supported by the configured CA plugin.") { Group = "Security" },
        new("router.health.checks.enabled", "Advanced", Router, SettingType.Boolean, "true",
            "If true, router health checks are allowed to be executed and read. If false, all scheduled checks and API calls for on demand checks are disabled.") { Group = "Network" },
        new("router.health.checks.basic.interval", "Advanced", Router, SettingType.Integer, "3",
            "Interval in minutes at which basic router health checks are performed. If set to 0, no tests are scheduled.") { Min = 0, Max = 1440, Group = "Network" },
        new("router.health.checks.advanced.interval", "Advanced", Router, SettingType.Integer, "10",
            "Interval in minutes at which advanced router health checks are performed. If set to 0, no tests are scheduled.") { Min = 0, Max = 1440, Group = "Network" },
        new("router.health.checks.free.disk.space.threshold", "Advanced", Router, SettingType.Integer, "100",
            "Free disk space threshold (in MB) on VR below which the check is considered a failure.") { Min = 0, Max = 1_000_000, Group = "Network" },
        new("router.health.checks.max.cpu.usage.threshold", "Advanced", Router, SettingType.Integer, "100",
            "Max CPU Usage threshold as % above which check is considered a failure.") { Min = 0, Max = 100, Group = "Network" },
        new("router.health.checks.max.memory.usage.threshold", "Advanced", Router, SettingType.Integer, "100",
            "Max Memory Usage threshold as % above which check is considered a failure.") { Min = 0, Max = 100, Group = "Network" },
        new(ProvisioningRetries, "Advanced", Agents, SettingType.Integer, "3",
            "New attempts of a command after its agent was not reached, before the job fails and the no-agent alert is raised.") { Min = 0, Max = 100 },
        new(ProvisioningRetryInterval, "Advanced", Agents, SettingType.Integer, "60",
            "Seconds between attempts of a command whose agent was not reached.") { Min = 1, Max = 86_400 },
        new(AgentIso, "Advanced", Agents, SettingType.String, new ProvisioningOptions().AgentIso,
            "Where an operator finds the agent's ISO; quoted in the failure and the alert of a VM that seems to have no agent."),
        new(AgentPackages, "Advanced", Agents, SettingType.String, new ProvisioningOptions().AgentPackages,
            "Where the agent's packages (tarballs, zip) are, for VMs that cannot take an ISO; quoted in the no-agent alert."),
        new(AgentInstallCommand, "Advanced", Agents, SettingType.String, new ProvisioningOptions().AgentInstallCommand,
            "The one-line install of the agent in a VM; quoted in the no-agent alert."),
        new("alert.email.addresses", "Alert", Alerts, SettingType.String, "",
            "Comma separated list of email addresses which are going to receive alert emails.") { Group = "Alerts" },
        new("alert.email.sender", "Alert", Alerts, SettingType.String, "",
            "Sender of alert email (will be in the From header of the email).") { Group = "Alerts" },
        new("alert.smtp.host", "Alert", Alerts, SettingType.String, "",
            "SMTP hostname used for sending out email alerts.") { Group = "Alerts" },
        new("alert.smtp.port", "Alert", Alerts, SettingType.Integer, "25",
            "Port the SMTP server is listening on.") { Min = 1, Max = 65_535, Group = "Alerts" },
        new("alert.smtp.useStartTLS", "Alert", Alerts, SettingType.Boolean, "false",
            "If set to true and if we enable security via alert.smtp.useAuth, this will enable StartTLS to secure the connection.") { Group = "Alerts" },
    ];

    public static GlobalSetting? Find(string name) => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
