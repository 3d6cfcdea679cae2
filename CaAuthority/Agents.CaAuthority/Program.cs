using Agents.CaAuthority;
using Microsoft.Extensions.Options;

try
{
    await CaHost.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    // a wrong setting stops the service with a message naming it, not a stack trace
    await Console.Error.WriteLineAsync($"ca: invalid settings: {string.Join("; ", e.Failures)}");
    return 2;
}
catch (CaSetupException e)
{
    await Console.Error.WriteLineAsync($"ca: cannot start: {e.Message}");
    return 2;
}
