using Agents.CaAuthority;
using Agents.Messaging.Hosting;
using Microsoft.Extensions.Options;

if (ServiceCommandLine.Handle("agents-ca", "the certificate authority: issues, renews and revokes the agents' and routers' certificates; serves its CRL", args) is { } exit)
    return exit;
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
