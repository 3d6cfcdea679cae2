using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Agents.Security.Signing;
using Agents.Testing;

namespace Agents.Cli.Tests.Support;

/// <summary>An error the fake API answers in CloudStack's shape.</summary>
public sealed class FakeApiError(int code, string text) : Exception(text)
{
    public int Code => code;
}

/// <summary>
/// A real HTTP endpoint at <c>/client/api</c> that checks apiKey and signature as CloudStack does and
/// answers <c>{"&lt;command&gt;response": …}</c> from <see cref="Handler"/>. Records every call it accepted.
/// </summary>
public sealed class FakeCloudStackApi : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-AbC";
    public const string SecretKey = "test-secret-key-XyZ";
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeCloudStackApi(Func<string, IReadOnlyDictionary<string, string>, JsonObject> handler)
    {
        Handler = handler;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/client/api";
    public Func<string, IReadOnlyDictionary<string, string>, JsonObject> Handler { get; set; }
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Calls { get; } = new();
    public int Refused;

    public IReadOnlyList<IReadOnlyDictionary<string, string>> CallsOf(string command) =>
        Calls.Where(c => c["command"].Equals(command, StringComparison.OrdinalIgnoreCase)).ToList();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { await AnswerAsync(context); }
            catch (Exception e) when (e is HttpListenerException or IOException) { }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var query = HttpUtility.ParseQueryString(context.Request.Url!.Query);
        foreach (var key in query.AllKeys) parameters[key!] = query[key]!;
        if (context.Request.HasEntityBody)
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var form = HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            foreach (var key in form.AllKeys) parameters[key!] = form[key]!;
        }
        var command = parameters.GetValueOrDefault("command", "");
        var name = command.ToLowerInvariant() + "response";
        JsonObject body;
        int status;
        var expected = CloudStackSignature.Sign(parameters.Where(p => p.Key != "signature"), SecretKey);
        if (parameters.GetValueOrDefault("apiKey") != ApiKey || !CloudStackSignature.Matches(expected, parameters.GetValueOrDefault("signature", "")))
        {
            Interlocked.Increment(ref Refused);
            (status, body) = (401, Error(name, 401, "unable to verify user credentials and/or request signature"));
        }
        else
        {
            Calls.Enqueue(parameters);
            try { (status, body) = (200, new JsonObject { [name] = Handler(command, parameters) }); }
            catch (FakeApiError e) { (status, body) = (e.Code, Error(name, e.Code, e.Message)); }
        }
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static JsonObject Error(string name, int code, string text) =>
        new() { [name] = new JsonObject { ["uuidList"] = new JsonArray(), ["errorcode"] = code, ["cserrorcode"] = 9999, ["errortext"] = text } };

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
