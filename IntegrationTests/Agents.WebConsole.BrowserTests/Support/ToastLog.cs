using System.Text.Json;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests.Support;

/// <summary>
/// Every toast a page shows from the moment the log is started. A toast lives 20 s and at most five are
/// shown at once, so on a loaded machine later ones (agents' presence, alerts) can take the one a test
/// waits for away before a locator sees it; the log keeps them all, and says what it saw when the one
/// awaited never came.
/// </summary>
public sealed class ToastLog
{
    private const string Start = """
        () => {
          window.__toasts = [];
          new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => {
            if (n.classList && n.classList.contains("toast")) window.__toasts.push({ kind: n.dataset.kind || "", text: n.textContent || "" });
          }))).observe(document.getElementById("toasts"), { childList: true });
        }
        """;

    private const string Find = "([kind, text]) => (window.__toasts.find((t) => t.kind === kind && t.text.includes(text)) || {}).text";

    private readonly IPage _page;

    private ToastLog(IPage page) => _page = page;

    /// <summary>Starts recording on the page's current document (a navigation ends it).</summary>
    public static async Task<ToastLog> StartAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.EvaluateAsync(Start);
        return new ToastLog(page);
    }

    /// <summary>The whole text of the first toast of <paramref name="kind"/> containing <paramref name="text"/>; fails with every toast seen if none comes in time.</summary>
    public async Task<string> WaitForAsync(string kind, string text, float timeoutMs = 30_000)
    {
        try
        {
            var found = await _page.WaitForFunctionAsync(Find, new[] { kind, text }, new() { Timeout = timeoutMs });
            return await found.JsonValueAsync<string>();
        }
        catch (TimeoutException)
        {
            var seen = await _page.EvaluateAsync<JsonElement>("() => window.__toasts");
            Assert.Fail($"no {kind} toast saying \"{text}\" within {timeoutMs / 1000} s; the toasts shown since the log started: {seen}");
            throw;
        }
    }
}
