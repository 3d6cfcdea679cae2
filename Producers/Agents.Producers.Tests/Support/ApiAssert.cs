using Agents.Producers.Client;

namespace Agents.Producers.Tests.Support;

public static class ApiAssert
{
    /// <summary>The call is refused with CloudStack's <c>errorcode</c> <paramref name="code"/> (the HTTP status too) and an <c>errortext</c>.</summary>
    public static async Task<CloudStackApiException> RefusedAsync(int code, Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<CloudStackApiException>(call);
        Assert.True(refused.ErrorCode == code && refused.HttpStatus == code && !string.IsNullOrWhiteSpace(refused.ErrorText),
            $"expected error {code}, got HTTP {refused.HttpStatus}, errorcode {refused.ErrorCode}: {refused.ErrorText}");
        return refused;
    }
}
