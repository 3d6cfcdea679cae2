using Agents.Contracts;
using Agents.Contracts.Protocol;

namespace Agents.VmAgent.Core.Handlers;

internal static class PayloadReader
{
    /// <summary>The command's payload as its contract record; a payload that is not one is refused before anything changes.</summary>
    public static T Read<T>(CommandFrame command)
    {
        try
        {
            return command.PayloadAs<T>();
        }
        catch (InvalidMessageException e)
        {
            throw new CommandRejectedException($"invalid {typeof(T).Name} payload: {e.Message}", e);
        }
    }
}
