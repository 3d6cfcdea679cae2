using Agents.Demo.Stack;
using Agents.Demo.Steps;

namespace Agents.IntegrationTests.EndToEnd;

/// <summary>
/// The whole system as separate processes, as ./run demo starts it: a private broker, the CA,
/// the API, the consumers, an SMTP server, a bridge and three enrolled agents. Tests drive it
/// from outside, through the signed API, the bus and the files the agents and the mail server write.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private readonly string _runDirectory = Path.Combine(Path.GetTempPath(), "agents-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public DemoStack Stack { get; private set; } = null!;
    public UseCases UseCases { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = new DemoStack(StackLayout.Create(_runDirectory), _ => { });
        try
        {
            await Stack.StartAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the stack did not start ({e.Message}); service logs: {Stack.Layout.LogDirectory}", e);
        }
        UseCases = new UseCases(Stack);
    }

    public async Task DisposeAsync()
    {
        await Stack.DisposeAsync();
        try { Directory.Delete(_runDirectory, recursive: true); }
        catch (IOException) { /* a log still held open: a temp folder is harmless */ }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "whole stack";
}
