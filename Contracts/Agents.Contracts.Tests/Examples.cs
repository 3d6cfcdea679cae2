using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Contracts.Protocol;

namespace Agents.Contracts.Tests;

/// <summary>One fixed example of every message on the bus; docs/protocol.md shows the same shapes.</summary>
internal static class Examples
{
    public static readonly Guid Job = Guid.Parse("9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d");
    public static readonly Guid Command = Guid.Parse("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9");
    public static readonly Guid Message = Guid.Parse("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5");
    public const string Router = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";
    public const string Vm = "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e";
    public static readonly DateTimeOffset At = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static readonly SealedSecret Sealed = new()
    {
        RecipientSerial = "5F3A9C0E1B2D4F6A8C0E1B2D4F6A8C0E",
        EphemeralPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...",
        Nonce = "q3ZyWm9kS1c0c1Ax",
        Ciphertext = "3q2+7w==",
        Tag = "AAECAwQFBgcICQoLDA0ODw==",
    };

    private static AgentCommand CommandOf(string type, object payload, string? vm = Vm) => new()
    {
        MessageId = Message, CommandId = Command, JobId = Job, Type = type, RouterId = Router, VmId = vm, CreatedAt = At,
        Payload = AgentCommand.PayloadOf(payload),
    };

    public static IEnumerable<(string Name, object Value)> Messages()
    {
        yield return ("command.ResetVmPassword", CommandOf(CommandTypes.ResetVmPassword, new ResetVmPassword { Username = "root", SealedPassword = Sealed }));
        yield return ("command.ResetVmSshKey", CommandOf(CommandTypes.ResetVmSshKey, new ResetVmSshKey { Username = "cloud", PublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9k admin@ops"] }));
        yield return ("command.RunRecipe", CommandOf(CommandTypes.RunRecipe, new RunRecipe
        {
            Name = "install-monitoring", Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            Parameters = new Dictionary<string, string> { ["SERVER"] = "mon.example.org" }, TimeoutSeconds = 300,
        }));
        yield return ("command.RunRecipe.router", CommandOf(CommandTypes.RunRecipe, new RunRecipe { Name = "package-upgrade", Parameters = new Dictionary<string, string> { ["PACKAGES"] = "openssl" } }, vm: null));
        yield return ("command.RekeyCertificate", CommandOf(CommandTypes.RekeyCertificate, new RekeyCertificate { Reconnect = true }));

        yield return ("event.ActionEvent.command-completed", Event(new AgentCommandCompleted
        {
            MessageId = Message, CommandId = Command, JobId = Job, CommandType = CommandTypes.RunRecipe, RouterId = Router, VmId = Vm,
            Outcome = CommandOutcome.Success, ExitCode = 0, Stdout = "installed\n", DurationMs = 1234, CompletedAt = At,
        }.ToEvent()));
        yield return ("event.AlertEvent.certificate-expiring", Event(new AlertRaised
        {
            MessageId = Message, AlertType = EventTypes.AlertCertificateExpiring, Severity = AlertSeverity.Warning,
            GroupKey = "certificate-expiring/5F3A9C0E", ResourceType = ResourceTypes.Certificate, ResourceUuid = "5F3A9C0E",
            Subject = "Certificate 5F3A9C0E of vm 6b7c8d9e expires in 5 days",
            Body = "Automatic renewal is off. Renew it with provisionCertificate.", RaisedAt = At,
        }.ToEvent()));
        yield return ("event.ResourceStateEvent.agent-up", Event(new AgentStateChanged
        {
            MessageId = Message, VmId = Vm, RouterId = Router, OldState = AgentStates.Down, NewState = AgentStates.Up,
            AgentVersion = "1.0.0", Address = "10.1.1.23:51022", CertificateSerial = "5F3A9C0E1B2D4F6A8C0E1B2D4F6A8C0E",
            CertificateNotAfter = At.AddDays(90), Capabilities = [CommandTypes.ResetVmPassword, CommandTypes.ResetVmSshKey], ChangedAt = At,
        }.ToEvent()));
        yield return ("event.ResourceStateEvent.router-health-check", Event(new RouterHealthChecked
        {
            MessageId = Message, RouterId = Router, PassedBefore = true,
            Result = new HealthCheckResult("disk-space", HealthCheckType.Basic, false, "/var is 97% full", At),
        }.ToEvent()));
        yield return ("event.AsyncJobEvent.submit", Event(new AsyncJobChanged
        {
            MessageId = Message, JobEvent = AsyncJobChanged.Submit, JobId = Job, Command = "resetPasswordForVirtualMachine",
            CommandEventType = EventTypes.VmResetPassword, Status = AsyncJobStatus.Pending, Stage = "Queued",
            InstanceType = ResourceTypes.VirtualMachine, InstanceUuid = Vm, User = "acme", Account = "acme",
            CmdInfo = JsonDocument.Parse("""{"cmdEventType":"VM.RESETPASSWORD","id":"6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e","username":"root"}""").RootElement, ChangedAt = At,
        }.ToEvent()));
        yield return ("event.AsyncJobEvent.complete", Event(new AsyncJobChanged
        {
            MessageId = Message, JobEvent = AsyncJobChanged.Complete, JobId = Job, Command = "resetPasswordForVirtualMachine",
            CommandEventType = EventTypes.VmResetPassword, Status = AsyncJobStatus.Succeeded, Stage = "Succeeded",
            InstanceType = ResourceTypes.VirtualMachine, InstanceUuid = Vm, User = "acme", Account = "acme",
            JobResult = JsonDocument.Parse("""{"virtualmachine":{"id":"6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e","passwordenabled":true}}""").RootElement,
            CmdInfo = JsonDocument.Parse("""{"cmdEventType":"VM.RESETPASSWORD","id":"6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e","username":"root"}""").RootElement, ChangedAt = At,
        }.ToEvent()));
        yield return ("event.AsyncJobEvent.complete-failed", Event(new AsyncJobChanged
        {
            MessageId = Message, JobEvent = AsyncJobChanged.Complete, JobId = Job, Command = "runAgentRecipe",
            CommandEventType = EventTypes.AgentRecipeRun, Status = AsyncJobStatus.Failed, ResultCode = 530, Stage = "Failed",
            User = "acme", Account = "acme",
            JobResult = JsonDocument.Parse("""{"errorcode":530,"errortext":"2 of 3 targets failed, more than maxerrors 1: stopped, 0 target(s) not sent"}""").RootElement,
            CmdInfo = JsonDocument.Parse("""{"cmdEventType":"AGENT.RECIPE.RUN","recipe":"install-monitoring"}""").RootElement, ChangedAt = At,
        }.ToEvent()));
        yield return ("event.ActionEvent.certificate-revoked", Event(new CertificateChanged
        {
            MessageId = Message, EventType = EventTypes.CertificateRevoked, SerialNumber = "5F3A9C0E1B2D4F6A8C0E1B2D4F6A8C0E",
            Subject = "CN=vm-6b7c8d9e", Holder = "urn:cloudstack:vm:" + Vm, RevocationReason = "keyCompromise", At = At,
        }.ToEvent()));
        yield return ("event.ActionEvent.agent-connection-refused", Event(new AgentConnectionRefused
        {
            MessageId = Message, RouterId = Router, RemoteAddress = "10.1.1.99:51022",
            Reason = "certificate 0A1B2C3D (CN=vm-6b7c8d9e): unable to get local issuer certificate",
            CertificateSerial = "0A1B2C3D", CertificateSubject = "CN=vm-6b7c8d9e", CertificateIssuer = "CN=Not Our Root",
            ClaimedHolder = "urn:cloudstack:vm:" + Vm, ClaimedVmId = Vm, Repeated = 3, At = At,
        }.ToEvent()));
        yield return ("event.ActionEvent.api-request-refused", Event(new ApiRequestRefused
        {
            MessageId = Message, Command = "resetPasswordForVirtualMachine", Account = "alice", RemoteAddress = "192.0.2.10",
            ErrorCode = 531, ErrorText = "Account alice cannot act for account bob", At = At,
        }.ToEvent()));
        yield return ("event.ActionEvent.configuration-value-edit", Event(new ConfigurationChanged
        {
            MessageId = Message, Name = "ca.plugin.root.auth.strictness", Value = "true", Account = "admin", At = At,
        }.ToEvent()));

        yield return ("ca.IssueCertificate", new IssueCertificate { Csr = "-----BEGIN CERTIFICATE REQUEST-----\n...\n-----END CERTIFICATE REQUEST-----", DomainNames = ["vm-6b7c8d9e.cloud.internal"], IpAddresses = ["10.1.1.23"], Holder = "urn:cloudstack:vm:" + Vm, RouterId = Router, ValidityDays = 90 });
        yield return ("ca.EnrollHolder", new EnrollHolder { Token = "etk_7QmS0c8WZ3e1...", Csr = "-----BEGIN CERTIFICATE REQUEST-----\n...\n-----END CERTIFICATE REQUEST-----" });
        yield return ("ca.RevokeCertificate", new RevokeCertificate { SerialNumber = "5F3A9C0E1B2D4F6A8C0E1B2D4F6A8C0E", Reason = "keyCompromise" });
        yield return ("ca.CertificateIssued", new CertificateIssued { SerialNumber = "5F3A9C0E1B2D4F6A8C0E1B2D4F6A8C0E", Certificate = "-----BEGIN CERTIFICATE-----\n...", CaCertificate = "-----BEGIN CERTIFICATE-----\n...", Holder = "urn:cloudstack:vm:" + Vm, NotAfter = At.AddDays(90) });
        yield return ("frame.command", new CommandFrame(Command, Job, CommandTypes.ResetVmSshKey,
            AgentCommand.PayloadOf(new ResetVmSshKey { Username = "cloud", PublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9k admin@ops"] }), 60));
        yield return ("frame.result", new ResultFrame(Command, CommandOutcome.Success, ExitCode: 0, Stdout: "installed\n", DurationMs: 1234));
        yield return ("frame.hello", new HelloFrame(HelloFrame.CurrentProtocolVersion, "1.0.0", [CommandTypes.ResetVmPassword, CommandTypes.ResetVmSshKey], "Unix", "vm-7"));

        yield return ("ca.CaError", new CaError { ErrorCode = 431, ErrorText = "the CSR's signature does not verify" });
    }

    /// <summary>An event as a subscriber receives it: its routing key and its body.</summary>
    private static JsonObject Event(CloudStackEvent e) => new() { ["routingKey"] = e.RoutingKey, ["body"] = JsonNode.Parse(e.ToUtf8()) };
}
