using System.Net;
using System.Text.RegularExpressions;

namespace Agents.Demo.Steps;

/// <summary>
/// Signs in to the console as a browser would, without one: the sign-in page's form (its hidden
/// fields carry the anti-forgery token), the POST, and the overview behind it.
/// </summary>
public static partial class ConsoleSignIn
{
    public static async Task<string> RunAsync(string consoleUrl, string user, string password)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var page = await http.GetAsync(new Uri(consoleUrl));
        var form = await page.Content.ReadAsStringAsync();
        if (!page.RequestMessage!.RequestUri!.AbsolutePath.EndsWith("/console/login", StringComparison.Ordinal))
            throw new StepFailedException($"{consoleUrl} did not ask to sign in first (landed on {page.RequestMessage.RequestUri})");
        var fields = HiddenField().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Username"] = user;
        fields["Password"] = password;
        using var body = new FormUrlEncodedContent(fields);
        var signedIn = await http.PostAsync(page.RequestMessage.RequestUri, body);
        var overview = await signedIn.Content.ReadAsStringAsync();
        if (!signedIn.IsSuccessStatusCode || !overview.Contains("<h1>Overview</h1>", StringComparison.Ordinal))
            throw new StepFailedException($"signing in as {user} ended on {signedIn.RequestMessage?.RequestUri} ({(int)signedIn.StatusCode})");
        return $"{user} signed in at {consoleUrl} and sees the overview";
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)" */?>""")]
    private static partial Regex HiddenField();
}
