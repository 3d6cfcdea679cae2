using System.Globalization;
using Agents.Producers.Accounts;
using Agents.Security.Signing;

namespace Agents.Producers.Api;

/// <summary>
/// Checks a request as CloudStack's ApiServer.verifyRequest does: a known apiKey, the HMAC-SHA1
/// signature over every other parameter, and with <c>signatureversion=3</c> an <c>expires</c>
/// that has not passed. Every refusal is the same 401, so a caller learns nothing about which
/// part was wrong; the log says which.
/// </summary>
public sealed class RequestAuthenticator(IAccountStore accounts, TimeProvider time, ILogger<RequestAuthenticator> logger)
{
    public const string Refused = "unable to verify user credentials and/or request signature";

    public async Task<Caller> AuthenticateAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        if (!parameters.TryGetValue("apiKey", out var apiKey) || string.IsNullOrEmpty(apiKey)) throw Deny("no apiKey");
        if (!parameters.TryGetValue("signature", out var signature) || string.IsNullOrEmpty(signature)) throw Deny("no signature");
        var found = await accounts.FindAsync(apiKey, ct).ConfigureAwait(false) ?? throw Deny("unknown apiKey");
        var expected = CloudStackSignature.Sign(parameters, found.SecretKey);
        if (!CloudStackSignature.Matches(expected, signature)) throw Deny($"bad signature for account {found.Caller.Account}");
        if (parameters.TryGetValue("signatureVersion", out var version) && version == "3")
        {
            if (!parameters.TryGetValue("expires", out var expires) || ParseExpires(expires) is not { } at)
                throw Deny($"signatureversion=3 without a valid expires (account {found.Caller.Account})");
            if (at < time.GetUtcNow())
                throw new ApiException(ApiErrorCode.Unauthorized, $"{Refused}: the request expired at {at:yyyy-MM-dd'T'HH:mm:ssK}");
        }
        return found.Caller;
    }

    /// <summary>CloudStack's expires: <c>yyyy-MM-dd'T'HH:mm:ssZ</c> (e.g. 2026-11-24T18:00:00+0000); ISO-8601 with 'Z' or '+00:00' too.</summary>
    public static DateTimeOffset? ParseExpires(string value)
    {
        var v = value.Trim();
        if (v.Length > 5 && (v[^5] == '+' || v[^5] == '-') && v[^4..].All(char.IsAsciiDigit)) v = v[..^2] + ":" + v[^2..];
        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private ApiException Deny(string why)
    {
        logger.LogWarning("Request refused: {Reason}", why);
        return new ApiException(ApiErrorCode.Unauthorized, Refused);
    }
}
