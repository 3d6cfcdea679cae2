using System.Net;
using Agents.Testing;

namespace Agents.RouterBridge.Tests.Support;

/// <summary>Plays the CA's CRL endpoint (GET /ca/crl): serves whatever bytes the test put there last.</summary>
public sealed class CrlServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private volatile byte[] _crl = [];
    private int _requests;

    public CrlServer()
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/ca/crl";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/ca/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }
    public int Requests => Volatile.Read(ref _requests);

    public void Serve(byte[] crl) => _crl = crl;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref _requests);
            var body = _crl;
            context.Response.ContentType = "application/pkix-crl";
            context.Response.ContentLength64 = body.Length;
            try { await context.Response.OutputStream.WriteAsync(body); }
            catch (HttpListenerException) { }
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
