using System.Text.Json.Nodes;
using Agents.WebConsole.Api;
using Microsoft.AspNetCore.Http;

namespace Agents.WebConsole.Tests.Support;

/// <summary>
/// The API as a script for page tests: each command answers what the test gave it (or 432, as the API
/// answers an unknown command); every call is recorded with its user and parameters.
/// </summary>
public sealed class ScriptedApi : IConsoleApi
{
    private readonly Dictionary<string, Func<ConsoleUser?, IReadOnlyDictionary<string, string>, JsonObject>> _answers = new(StringComparer.Ordinal);

    public List<(ConsoleUser? User, string Command, IReadOnlyDictionary<string, string> Parameters)> Calls { get; } = [];

    public ConsoleUser? SignedIn { get; set; }

    public IReadOnlyList<string> SessionCookieNames { get; } = ["JSESSIONID", "sessionkey"];

    public ScriptedApi Answer(string command, Func<ConsoleUser?, IReadOnlyDictionary<string, string>, JsonObject> answer)
    {
        _answers[command] = answer;
        return this;
    }

    public ScriptedApi Answer(string command, string json) => Answer(command, (_, _) => JsonNode.Parse(json)!.AsObject());

    public Task<ConsoleUser?> AuthenticateAsync(HttpRequest request, CancellationToken ct) => Task.FromResult(SignedIn);

    public Task<JsonObject> CallAsync(ConsoleUser? user, string command, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        Calls.Add((user, command, parameters));
        if (!_answers.TryGetValue(command, out var answer))
            throw new ConsoleApiException(432, "The given command does not exist or it is not available for user");
        return Task.FromResult(answer(user, parameters));
    }

    public static ConsoleUser Admin { get; } = new("admin", "admin", true, new object());

    public static ConsoleUser User(string account) => new(account + "-user", account, false, new object());
}
