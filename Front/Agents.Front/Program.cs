using Agents.Front;
using Microsoft.Extensions.Options;

if (FrontCommandLine.Handle(args, out var settings) is { } exit)
    return exit;
try
{
    await FrontApp.Build(settings).RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    // a wrong setting stops the front with a message naming it, not a stack trace
    await Console.Error.WriteLineAsync($"front: invalid settings: {string.Join("; ", e.Failures)}");
    return 2;
}
