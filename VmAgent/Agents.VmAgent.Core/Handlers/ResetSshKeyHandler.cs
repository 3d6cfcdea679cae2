using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;

namespace Agents.VmAgent.Core.Handlers;

/// <summary>resetSSHKeyForVirtualMachine: replaces the CloudStack-managed keys in the user's authorized_keys.</summary>
public sealed class ResetSshKeyHandler(IGuestOs os) : ICommandHandler
{
    public string CommandType => CommandTypes.ResetVmSshKey;

    public async Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = PayloadReader.Read<ResetVmSshKey>(context.Command);
        try
        {
            GuestInput.Username(payload.Username);
            if (payload.PublicKeys is null || payload.PublicKeys.Count == 0) throw new ArgumentException("no public keys given");
            foreach (var key in payload.PublicKeys) GuestInput.PublicKey(key);
        }
        catch (ArgumentException e)
        {
            throw new CommandRejectedException(e.Message, e);
        }
        // another user's home is root's business
        if (!context.Policy.Privileged && !string.Equals(payload.Username, Environment.UserName, StringComparison.Ordinal))
            return HandlerResult.Rejected($"writing {payload.Username}'s keys needs root and the policy says privileged: false");

        await os.SetAuthorizedKeysAsync(payload.Username, payload.PublicKeys, ct).ConfigureAwait(false);
        context.Log.Info("{KeyCount} SSH key(s) set for user {UserName} (command {CommandId})", payload.PublicKeys.Count, payload.Username, context.Command.CommandId);
        return HandlerResult.Success($"{payload.PublicKeys.Count} key(s) set for {payload.Username}");
    }
}
