using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.Security.Sealing;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;

namespace Agents.VmAgent.Core.Handlers;

/// <summary>resetPasswordForVirtualMachine: opens the sealed password with the agent's key and sets it.</summary>
public sealed class ResetPasswordHandler(IGuestOs os, IAgentKeys keys) : ICommandHandler
{
    public string CommandType => CommandTypes.ResetVmPassword;

    public async Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Policy.Privileged) return HandlerResult.Rejected("setting a password needs root and the policy says privileged: false");
        var payload = PayloadReader.Read<ResetVmPassword>(context.Command);
        if (payload.SealedPassword is null) throw new CommandRejectedException("sealedPassword is missing");

        using var key = keys.KeyFor(payload.SealedPassword.RecipientSerial)
            ?? throw new CommandRejectedException($"the password is sealed to certificate {payload.SealedPassword.RecipientSerial}, which is not this agent's");
        string password;
        try
        {
            password = SecretSealer.OpenString(payload.SealedPassword, key);
        }
        catch (SealedSecretException e)
        {
            throw new CommandRejectedException($"the sealed password cannot be opened: {e.Message}", e);
        }
        try
        {
            GuestInput.Password(password);
            GuestInput.Username(payload.Username);
        }
        catch (ArgumentException e)
        {
            throw new CommandRejectedException(e.Message, e);
        }
        await os.SetPasswordAsync(payload.Username, password, ct).ConfigureAwait(false);
        context.Log.Info("password reset for user {UserName} (command {CommandId})", payload.Username, context.Command.CommandId);
        return HandlerResult.Success($"password of {payload.Username} reset");
    }
}
