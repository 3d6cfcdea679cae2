using Agents.WebConsole.Api;
using Agents.WebConsole.Hosting;
using Agents.WebConsole.Sessions;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agents.WebConsole.Tests.Support;

/// <summary>A bUnit context with the console's services, a scripted API and a signed-in user.</summary>
public sealed class ConsoleTestContext : BunitContext
{
    public ConsoleTestContext(ConsoleUser? user)
    {
        Api.SignedIn = user;
        var context = new ConsoleContext(Api) { User = user };
        Services.AddSingleton<IConsoleApi>(Api);
        Services.AddSingleton(context);
        Services.AddSingleton(Options.Create(new ConsoleOptions { PageSize = 5 }));
        Services.AddSingleton<ConsoleAssets>();
        Services.AddSingleton<SessionCookies>();
        Context = context;
    }

    public ScriptedApi Api { get; } = new();

    public ConsoleContext Context { get; }
}
