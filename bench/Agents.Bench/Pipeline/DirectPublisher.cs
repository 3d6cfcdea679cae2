using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Commands;
using Agents.Demo.Stack;
using Agents.Security.Sealing;

namespace Agents.Bench.Pipeline;

/// <summary>
/// The API section's baseline, the pipeline without the API: resetVmPassword commands sealed to each
/// agent's certificate (its agent.crt) and published with a confirm by the messaging kit's publisher,
/// as the API's job engine does, each timed to its outcome event on cloudstack-events.
/// </summary>
public sealed class DirectPublisher : IAsyncDisposable
{
    private readonly CommandDriver _driver;
    private readonly Dictionary<string, X509Certificate2> _certificates;

    private DirectPublisher(CommandDriver driver, Dictionary<string, X509Certificate2> certificates)
    {
        _driver = driver;
        _certificates = certificates;
        driver.CommandType = CommandTypes.ResetVmPassword;
        driver.PayloadFor = vm => AgentCommand.PayloadOf(new ResetVmPassword
        {
            Username = "root",
            SealedPassword = SecretSealer.Seal("Bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), _certificates[vm]),
        });
    }

    public static async Task<DirectPublisher> StartAsync(DemoStack stack)
    {
        var certificates = stack.Layout.Vms.ToDictionary(v => v.Id, v => X509Certificate2.CreateFromPem(
            File.ReadAllText(Path.Combine(stack.Layout.DataDirectory("agents"), v.Id, "agent.crt"))));
        var driver = new CommandDriver(stack.AmqpUri("producers"));
        await driver.StartAsync(stack.AmqpUri("observer"));
        return new DirectPublisher(driver, certificates);
    }

    /// <summary>One reset, publish to outcome event, in milliseconds; a failed reset stops the figure.</summary>
    public async Task<double> RunOneAsync(string vmId)
    {
        var ms = await _driver.RunOneAsync(vmId);
        ThrowOnFailure();
        return ms;
    }

    public async Task<double> ThroughputAsync(IReadOnlyList<string> vmIds, int commands, int inFlight)
    {
        var perSecond = await _driver.ThroughputAsync(vmIds, commands, inFlight);
        ThrowOnFailure();
        return perSecond;
    }

    private void ThrowOnFailure()
    {
        if (_driver.Failures > 0) throw new InvalidOperationException($"{_driver.Failures} direct password resets did not succeed, the first: {_driver.FirstFailure}");
    }

    public async ValueTask DisposeAsync()
    {
        await _driver.DisposeAsync();
        foreach (var c in _certificates.Values) c.Dispose();
    }
}
