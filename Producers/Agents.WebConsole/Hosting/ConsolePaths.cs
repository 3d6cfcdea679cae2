using System.Text.Encodings.Web;

namespace Agents.WebConsole.Hosting;

/// <summary>The console's addresses: one place names them, pages and middleware use them.</summary>
public static class ConsolePaths
{
    public const string Root = "/console";
    public const string Login = "/console/login";
    public const string Assets = "/console/assets";
    public const string Live = "/console/live";
    public const string CaCertificate = "/console/ca-certificate.pem";
    public const string Logout = "/console/logout";

    public static string Vm(string id) => "/console/vm/" + Uri.EscapeDataString(id);
    public static string Router(string id) => "/console/router/" + Uri.EscapeDataString(id);
    public static string Job(string id) => "/console/job/" + Uri.EscapeDataString(id);
    public static string Deploy(string vmId) => "/console/deploy?vm=" + Uri.EscapeDataString(vmId);

    /// <summary>The sign-in page that comes back to <paramref name="returnUrl"/> afterwards.</summary>
    public static string SignIn(string returnUrl, bool embedded) =>
        Login + "?returnUrl=" + UrlEncoder.Default.Encode(returnUrl) + (embedded ? "&embed=1" : "");

    /// <summary>Only a console path of this site is a place to return to (no //host, no other path).</summary>
    public static string SafeReturn(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048) return Root + "/";
        var ok = (returnUrl == Root || returnUrl.StartsWith(Root + "/", StringComparison.Ordinal) || returnUrl.StartsWith(Root + "?", StringComparison.Ordinal))
            && !returnUrl.Contains("//", StringComparison.Ordinal) && !returnUrl.Contains('\\', StringComparison.Ordinal)
            && !returnUrl.StartsWith(Login, StringComparison.Ordinal) && returnUrl.All(c => !char.IsControl(c));
        return ok ? returnUrl : Root + "/";
    }
}
