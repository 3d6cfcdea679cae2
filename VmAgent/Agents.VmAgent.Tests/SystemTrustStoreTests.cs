using Agents.Security.Identity;
using Agents.Testing;
using Agents.VmAgent.Core.Identity;

namespace Agents.VmAgent.Tests;

public sealed class SystemTrustStoreTests : TempPkiTest
{
    [Fact]
    public void on_linux_the_os_store_openssl_reads_becomes_the_agents_ca_file_and_trust_decisions_stay_the_same()
    {
        var caFile = Pki.WriteRootPem(Temp.Path);

        SystemTrustStore.ReplaceWith(caFile);

        // what OpenSSL (and .NET's OpenSSL layer) reads with getenv, not .NET's cached environment
        Assert.Equal(Path.GetFullPath(caFile), SystemTrustStore.Native(SystemTrustStore.FileVariable));
        Assert.False(Directory.Exists(SystemTrustStore.Native(SystemTrustStore.DirectoryVariable)));
        // the agent's own trust: a router of its CA accepted, a router of another CA and a VM refused
        var anchor = TrustAnchor.FromPemFile(caFile);
        using var router = Pki.IssueWithKey(HolderIdentity.Router("r-1"));
        using var vm = Pki.IssueWithKey(HolderIdentity.Vm("vm-1"));
        using var otherPki = new TestPki("Another Root CA");
        using var foreign = otherPki.IssueWithKey(HolderIdentity.Router("r-1"));
        Assert.Null(anchor.RouterCertificateError(router));
        Assert.NotNull(anchor.RouterCertificateError(vm));
        Assert.NotNull(anchor.RouterCertificateError(foreign));
    }
}
