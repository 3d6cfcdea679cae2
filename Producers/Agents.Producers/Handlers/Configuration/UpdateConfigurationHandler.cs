using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Settings;
using Agents.Messaging;

namespace Agents.Producers.Handlers.Configuration;

/// <summary>
/// updateConfiguration (admin): stores the new value, applies it here if this service uses it, and
/// publishes CloudStack's CONFIGURATION.VALUE.EDIT ActionEvent, on which every bridge, the CA and
/// the consumers apply it without a restart; the audit log records the event. Without
/// <c>value</c> nothing changes (CloudStack answers the setting as it is).
/// </summary>
public sealed class UpdateConfigurationHandler(ISettingsStore store, CurrentSettings current, ProvisioningSettings provisioning,
    IEventPublisher publisher, TimeProvider time, ILogger<UpdateConfigurationHandler> logger) : IApiHandler
{
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "the name of the configuration") { Required = true };
    private static readonly ApiParameter Value = new("value", ApiParameterType.String, "the value of the configuration") { Length = 4096 };

    public ApiDefinition Definition { get; } = new("updateConfiguration", "Updates a configuration.")
    {
        Access = ApiAccess.Admin,
        Parameters = [Name, Value],
        ResponseObject = ConfigurationResponse.ObjectName,
        Response = ConfigurationResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var name = call.Required(Name);
        var setting = GlobalSettings.Find(name) ?? throw ApiException.Parameter($"Config parameter with name {Printable(name)} doesn't exist");
        if (call.Optional(Value) is not { } given)
        {
            var (_, now) = (await current.AllAsync(ct).ConfigureAwait(false)).First(r => r.Setting == setting);
            return new JsonObject { [ConfigurationResponse.ObjectName] = ConfigurationResponse.Render(setting, now) };
        }
        var value = setting.Normalize(given);
        var at = time.GetUtcNow();
        await store.SetAsync(setting.Name, value, call.Caller.Account, at, ct).ConfigureAwait(false);
        provisioning.Apply(setting.Name, value);
        try
        {
            await publisher.PublishAsync(new ConfigurationChanged
            {
                MessageId = Guid.NewGuid(), Name = setting.Name, Value = value, Account = call.Caller.Account, At = at,
            }.ToEvent(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PublishFailedException or TimeoutException)
        {
            logger.LogError("Setting {Name} stored as {Value} but its change event was not published: {Error}", setting.Name, value, e.Message);
            throw ApiException.Unavailable($"{setting.Name} is stored as {value}, but the event bus did not take the change: services apply it when it is updated again");
        }
        logger.LogInformation("Setting {Name} set to {Value} by {Account}", setting.Name, value, call.Caller.Account);
        return new JsonObject { [ConfigurationResponse.ObjectName] = ConfigurationResponse.Render(setting, value) };
    }

    private static string Printable(string text) => new([.. text.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '?')]);
}
