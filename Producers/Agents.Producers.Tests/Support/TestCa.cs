using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Messaging;
using Agents.Messaging.Consuming;
using Agents.Messaging.Rpc;
using Agents.Security.Identity;
using Agents.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agents.Producers.Tests.Support;

/// <summary>
/// Plays the certificate authority on the real ca.requests queue (the CA service is built in
/// parallel): one-time tokens bound to a holder, certificates from a test root for enrollment and
/// renewal, and each holder's current certificate for sealing. Real certificates, real RPC.
/// </summary>
public sealed class TestCa : IAsyncDisposable
{
    private readonly TestPki _pki = new("Producers Test Root CA");
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, string> _current = new();
    private readonly IHost _host;

    public TestCa(string amqpUri)
    {
        // served as the CA serves it: the messaging kit's request server, wired through DI
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddRabbitMqMessaging(o => (o.Uri, o.ConnectionName) = (amqpUri, "test-ca"));
        builder.Services.AddSingleton(this);
        builder.Services.AddRequestServer<Handler>(Topology.CaRequestsQueue);
        _host = builder.Build();
        _host.Start();
    }

    public string RootPem => _pki.RootPem;

    public string WriteRootPem(string directory) => _pki.WriteRootPem(directory);

    public string TokenFor(HolderIdentity holder)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = holder.Uri;
        return token;
    }

    private CertificateIssued Issue(string csr, HolderIdentity holder)
    {
        var pem = _pki.IssueFromCsr(csr, holder, TimeSpan.FromDays(1));
        using var certificate = X509Certificate2.CreateFromPem(pem);
        _current[holder.Uri] = pem;
        return new CertificateIssued
        {
            SerialNumber = certificate.SerialNumber, Certificate = pem, CaCertificate = _pki.RootPem, Holder = holder.Uri,
            NotAfter = certificate.NotAfter.ToUniversalTime(),
        };
    }

    private (string Type, object Body) Answer(IncomingMessage request)
    {
        switch (request.Type)
        {
            case CaRequestTypes.EnrollHolder:
            {
                var enroll = request.Read<EnrollHolder>();
                if (!_tokens.TryRemove(enroll.Token, out var holder)) return Error(431, "unknown or used enrollment token");
                return (nameof(CertificateIssued), Issue(enroll.Csr, HolderIdentity.Parse(holder)));
            }
            case CaRequestTypes.RenewCertificate:
            {
                var renew = request.Read<RenewCertificate>();
                using var current = X509Certificate2.CreateFromPem(renew.CurrentCertificate);
                var holder = HolderIdentity.FromCertificate(current);
                return holder is null ? Error(431, "no holder in the certificate") : (nameof(CertificateIssued), Issue(renew.Csr, holder));
            }
            case CaRequestTypes.GetHolderCertificate:
            {
                var holder = request.Read<GetHolderCertificate>().Holder;
                if (!_current.TryGetValue(holder, out var pem)) return Error(431, $"{holder} has no certificate: its agent has not enrolled");
                using var certificate = X509Certificate2.CreateFromPem(pem);
                return (nameof(HolderCertificate), new HolderCertificate
                {
                    Holder = holder, SerialNumber = certificate.SerialNumber, Certificate = pem, NotAfter = certificate.NotAfter.ToUniversalTime(),
                });
            }
            case CaRequestTypes.CreateEnrollmentToken:
            {
                var create = request.Read<CreateEnrollmentToken>();
                return (nameof(EnrollmentTokenCreated), new EnrollmentTokenCreated
                {
                    Token = TokenFor(HolderIdentity.Parse(create.Holder)), Holder = create.Holder, ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(create.TtlSeconds),
                });
            }
            case CaRequestTypes.GetCaCertificate:
                return (nameof(CaCertificate), new CaCertificate { Provider = "root", Certificate = _pki.RootPem });
            case CaRequestTypes.ListCaProviders:
                return (nameof(CaProviders), new CaProviders { Providers = [new CaProviderInfo { Name = "root", Description = "test root CA" }] });
            default:
                return Error(432, $"the test CA does not serve {request.Type}");
        }
    }

    private static (string, object) Error(int code, string text) => (nameof(CaError), new CaError { ErrorCode = code, ErrorText = text });

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable host) await host.DisposeAsync();
        else _host.Dispose();
        _pki.Dispose();
    }

    private sealed class Handler(TestCa ca) : IRequestHandler
    {
        public Task<(string Type, object Body)> AnswerAsync(IncomingMessage request, CancellationToken ct) => Task.FromResult(ca.Answer(request));
    }
}
