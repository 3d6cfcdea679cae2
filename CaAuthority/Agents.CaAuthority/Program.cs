using Agents.CaAuthority;
using Agents.Messaging.Hosting;
using Agents.Storage.Copying;
using Microsoft.Extensions.Options;

// migrate-store: the inventory of a SQLite install (ca.db) copied onto MariaDB
if (args.Length > 0 && args[0] == StoreCopyCommand.Name)
    return await StoreCopyCommand.RunAsync("agents-ca", [Agents.CaAuthority.Store.SqlCaStore.Schema], args[1..], Console.Out, Console.Error);

if (ServiceCommandLine.Handle("agents-ca", $"the certificate authority: issues, renews and revokes the agents' and routers' certificates; serves its CRL (also: {StoreCopyCommand.Name}, its SQLite inventory copied onto MariaDB)", args) is { } exit)
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
