using System.Text.Json.Nodes;
using Agents.WebConsole.Api;

namespace Agents.WebConsole.Views;

/// <summary>An agent as listAgents reports it.</summary>
public sealed record AgentView(string VmId, string State, DateTimeOffset? LastChanged, string? RouterId, string? Version,
    string? CertificateSerial, DateTimeOffset? CertificateNotAfter, string? Reason, string? Address)
{
    public static AgentView From(JsonObject o) => new(
        ApiReply.Text(o, "virtualmachineid") ?? "", ApiReply.Text(o, "state") ?? "Unknown", ApiReply.Date(o, "lastchanged"),
        ApiReply.Text(o, "routerid"), ApiReply.Text(o, "version"), ApiReply.Text(o, "certificateserial"),
        ApiReply.Date(o, "certificatenotafter"), ApiReply.Text(o, "reason"), ApiReply.Text(o, "address"));
}
