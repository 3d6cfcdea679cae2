using Agents.WebConsole.Api;
using Agents.WebConsole.Live;
using Agents.WebConsole.Sessions;
using Agents.Messaging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.WebConsole.Hosting;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The console's pages and live feed; <typeparamref name="TApi"/> is the API's side of the seam.</summary>
    public static IServiceCollection AddAgentsConsole<TApi>(this IServiceCollection services, IConfiguration configuration)
        where TApi : class, IConsoleApi
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ConsoleOptions.Section);
        services.AddOptions<ConsoleOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<ConsoleOptions>() ?? new ConsoleOptions();

        services.AddSingleton<IConsoleApi, TApi>();
        services.AddScoped<ConsoleContext>();
        services.AddSingleton<SessionCookies>();
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<LiveFeed>();
        services.AddRazorComponents();
        services.AddAntiforgery(a =>
        {
            a.Cookie.Name = "console-antiforgery";
            a.Cookie.Path = ConsolePaths.Root;
            a.Cookie.HttpOnly = true;
            a.Cookie.SameSite = options.CrossSiteFraming ? SameSiteMode.None : SameSiteMode.Strict;
            a.Cookie.SecurePolicy = options.CrossSiteFraming ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            a.FormFieldName = "__console_token";
            // framing is decided by the Content-Security-Policy's frame-ancestors (allowed CloudStack UI origins), not X-Frame-Options
            a.SuppressXFrameOptionsHeader = true;
        });
        if (options.Enabled)
        {
            var queue = LiveEventHandler.QueueName();
            services.AddQueueConsumer<LiveEventHandler>(queue, LiveEventHandler.Declare(queue, options.LiveQueueMaxLength));
        }
        return services;
    }
}
