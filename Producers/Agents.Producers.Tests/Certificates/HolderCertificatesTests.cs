using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Messaging;
using Agents.Messaging.Rpc;
using Agents.Producers.Handlers.Certificates;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Tests.Certificates;

/// <summary>
/// The API's kept holder certificates (pure logic; the CA is a fake request client here, the real
/// CA and its events are in <see cref="RealCaTests"/>): kept only while the watcher consumes,
/// forgotten by an announcement, never kept when an announcement came while the CA answered.
/// </summary>
public sealed class HolderCertificatesTests : IDisposable
{
    private const string Holder = "urn:cloudstack:vm:vm-1";
    private readonly CountingCa _ca = new();
    private readonly HolderCertificates _certificates;

    public HolderCertificatesTests() =>
        _certificates = new HolderCertificates(new CaClient(_ca, Options.Create(new ProducersOptions())));

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task a_kept_certificate_serves_until_an_issue_or_revocation_of_its_holder_is_heard()
    {
        _certificates.Listening(true);
        Assert.Equal("01", (await _certificates.CurrentAsync(Holder, default)).SerialNumber);
        Assert.Equal("01", (await _certificates.CurrentAsync(Holder, default)).SerialNumber);
        Assert.Equal(1, _ca.Calls);

        _certificates.Forget("urn:cloudstack:vm:another");
        Assert.Equal("01", (await _certificates.CurrentAsync(Holder, default)).SerialNumber);
        Assert.Equal(1, _ca.Calls);

        _ca.Serial = "02";
        _certificates.Forget(Holder);
        Assert.Equal("02", (await _certificates.CurrentAsync(Holder, default)).SerialNumber);
        Assert.Equal(2, _ca.Calls);

        // an event naming no holder: everything goes
        _ca.Serial = "03";
        _certificates.Forget(null);
        Assert.Equal("03", (await _certificates.CurrentAsync(Holder, default)).SerialNumber);
        Assert.Equal(3, _ca.Calls);
    }

    [Fact]
    public async Task nothing_is_kept_while_the_watcher_does_not_consume_and_all_goes_when_it_stops()
    {
        await _certificates.CurrentAsync(Holder, default);
        await _certificates.CurrentAsync(Holder, default);
        Assert.Equal(2, _ca.Calls);

        _certificates.Listening(true);
        await _certificates.CurrentAsync(Holder, default);
        Assert.Equal(1, _certificates.Count);
        _certificates.Listening(false);
        Assert.Equal(0, _certificates.Count);
        await _certificates.CurrentAsync(Holder, default);
        Assert.Equal(4, _ca.Calls);
    }

    [Fact]
    public async Task an_announcement_heard_while_the_ca_answers_keeps_that_answer_out()
    {
        _certificates.Listening(true);
        _ca.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asking = _certificates.CurrentAsync(Holder, default);
        await _ca.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _certificates.Forget(Holder);
        _ca.Hold.SetResult();
        Assert.Equal("01", (await asking).SerialNumber);
        Assert.Equal(0, _certificates.Count);

        _ca.Hold = null;
        _ca.Serial = "02";
        Assert.Equal("02", (await _certificates.CurrentAsync(Holder, default)).SerialNumber);
        Assert.Equal(1, _certificates.Count);
    }

    [Fact]
    public async Task a_refusal_of_the_ca_is_an_api_error_and_is_not_kept()
    {
        _certificates.Listening(true);
        _ca.Refuse = true;
        var refused = await Assert.ThrowsAsync<Api.ApiException>(() => _certificates.CurrentAsync(Holder, default));
        Assert.Contains("has no valid certificate", refused.Message, StringComparison.Ordinal);
        _ca.Refuse = false;
        Assert.Equal("01", (await _certificates.CurrentAsync(Holder, default)).SerialNumber);
        Assert.Equal(2, _ca.Calls);
    }

    private sealed class CountingCa : IRequestClient
    {
        private int _calls;
        public int Calls => _calls;
        public string Serial { get; set; } = "01";
        public bool Refuse { get; set; }
        public TaskCompletionSource? Hold { get; set; }
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<RpcReply> CallAsync(string queue, string type, object request, TimeSpan timeout, CancellationToken ct = default)
        {
            Assert.Equal(Topology.CaRequestsQueue, queue);
            var holder = Assert.IsType<GetHolderCertificate>(request).Holder;
            Interlocked.Increment(ref _calls);
            var serial = Serial;
            Asked.TrySetResult();
            if (Hold is { } hold) await hold.Task;
            if (Refuse)
                return new RpcReply(nameof(CaError), AgentJson.ToUtf8(new CaError { ErrorCode = 431, ErrorText = $"{holder} has no valid certificate (has its agent enrolled?)" }));
            return new RpcReply(nameof(HolderCertificate), AgentJson.ToUtf8(new HolderCertificate
            {
                Holder = holder, SerialNumber = serial, Certificate = "-----BEGIN CERTIFICATE-----", NotAfter = DateTimeOffset.UtcNow.AddDays(30),
            }));
        }
    }
}
