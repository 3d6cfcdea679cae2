using Newtonsoft.Json.Linq;

namespace Agents.Producers.Api;

/// <summary>One API command. Its name is CloudStack's (camelCase); the response object goes inside <c>&lt;name lower-cased&gt;response</c>.</summary>
public interface IApiCommand
{
    string Name { get; }

    /// <summary>Admin-only commands do not exist for a user key (CloudStack answers 432, as for an unknown command).</summary>
    bool AdminOnly => false;

    Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct);
}
