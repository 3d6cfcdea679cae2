using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core;
using Agents.VmAgent.Core.Client;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Core.Policy;

namespace PasswordOnlyAgent;

/// <summary>
/// A deliberately narrow agent: the only handler it has is the password reset, and its built-in
/// policy allows nothing else. Whatever the router sends, no script, key or recipe can run here.
/// </summary>
public static class PasswordOnly
{
    public static AgentPolicy Policy { get; } = new([CommandTypes.ResetVmPassword], [], Privileged: true);

    public static AgentClient Create(AgentClientOptions options, TrustAnchor trust, IGuestOs os, IAgentLog log) =>
        AgentFactory.Create(options, Policy, trust, log, (keys, _) => [new ResetPasswordHandler(os, keys)]);
}
