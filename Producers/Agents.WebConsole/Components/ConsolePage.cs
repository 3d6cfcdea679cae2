using System.Text.Json.Nodes;
using Agents.WebConsole.Api;
using Agents.WebConsole.Sessions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Agents.WebConsole.Components;

/// <summary>
/// A console page: the signed-in user, API calls made as that user, and the API's refusal shown as the
/// page's error instead of an exception. Pages render on the server (static SSR); forms post back with
/// an anti-forgery token.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [Inject] protected ConsoleContext Context { get; set; } = null!;
    [Inject] protected NavigationManager Navigation { get; set; } = null!;
    [Inject] protected IOptions<ConsoleOptions> Options { get; set; } = null!;
    [CascadingParameter] protected HttpContext? Http { get; set; }

    protected ConsoleUser User => Context.RequireUser();

    /// <summary>The API's errortext of the last refused call, shown in the page's alert.</summary>
    protected string? Error { get; set; }

    protected CancellationToken Aborted => Http?.RequestAborted ?? CancellationToken.None;

    protected int PageSize => Options.Value.PageSize;

    protected Task<JsonObject> CallAsync(string command, params (string Key, string? Value)[] parameters) =>
        Context.CallAsync(command, Aborted, parameters);

    /// <summary>Runs API calls; a refusal becomes <see cref="Error"/> and false.</summary>
    protected async Task<bool> TryAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action().ConfigureAwait(false);
            return true;
        }
        catch (ConsoleApiException e)
        {
            Error = e.Message;
            return false;
        }
    }

    protected static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
