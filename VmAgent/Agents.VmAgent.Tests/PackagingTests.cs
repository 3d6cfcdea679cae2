using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

/// <summary>
/// The packaging (VmAgent/packaging): install.sh run into a scratch root, then the installed agent run for
/// real; its choice of binary by the machine's architecture; build-packages.sh's header checks, tarballs,
/// zips and ISO.
/// </summary>
public sealed class PackagingTests : TempPkiTest
{
    private const string Name = "agents-vm-agent";


    private static string Packaging() => Path.Combine(RepositoryPaths.Root, "VmAgent", "packaging");

    /// <summary>install.sh's name for this machine's CPU, as build-packages.sh names the folders.</summary>
    private static string ThisArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        var other => throw new PlatformNotSupportedException($"no agent build for {other}"),
    };

    /// <summary>
    /// What build-packages.sh puts in a Linux folder, with a launcher of the agent under test standing in for
    /// the binary of each of <paramref name="archs"/> (each marked with its arch, so the test sees which one was installed).
    /// </summary>
    private string StageLinuxFolder(params string[] archs)
    {
        var stage = Temp.Sub("pkg");
        var packaging = Packaging();
        foreach (var file in new[] { "linux/install.sh", "linux/agents-vm-agent.service", "config/agent.json.sample", "config/policy.json.sample", "README.txt" })
            File.Copy(Path.Combine(packaging, file), Path.Combine(stage, Path.GetFileName(file)));
        var (program, leading) = AgentProgram.Command();
        foreach (var arch in archs.DefaultIfEmpty(ThisArch))
        {
            var launcher = Path.Combine(Temp.Sub(Path.Combine("pkg", arch)), Name);
            File.WriteAllText(launcher, $"#!/bin/sh\n# {arch}\nexec '{program}' {string.Join(' ', leading.Select(a => $"'{a}'"))} \"$@\"\n");
            File.SetUnixFileMode(launcher, (UnixFileMode)0b111_101_101);
        }
        return stage;
    }

    /// <summary>A directory whose <c>uname</c> prints <paramref name="machine"/>: put first on PATH, it is the machine install.sh sees.</summary>
    private string FakeUname(string machine)
    {
        var bin = Temp.Sub("fake-bin");
        var uname = Path.Combine(bin, "uname");
        File.WriteAllText(uname, $"#!/bin/sh\necho {machine}\n");
        File.SetUnixFileMode(uname, (UnixFileMode)0b111_101_101);
        return bin;
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var run = await ProcessRunner.RunAsync(program, arguments, environment, TimeSpan.FromSeconds(120));
        return (run.ExitCode, run.Output);
    }

    private static Task<(int Code, string Output)> InstallAsync(string stage, string root, IEnumerable<string> arguments, string? path = null)
    {
        var environment = new Dictionary<string, string> { ["AGENT_INSTALL_ROOT"] = root };
        if (path is not null) environment["PATH"] = $"{path}:{Environment.GetEnvironmentVariable("PATH")}";
        return RunAsync("sh", [Path.Combine(stage, "install.sh"), .. arguments], environment);
    }

    [Fact]
    public async Task an_agent_installed_by_install_sh_enrolls_with_the_token_it_was_installed_with()
    {
        await using var bridge = new TestBridge(Pki);
        var root = Path.Combine(Temp.Path, "root");
        var token = bridge.Relay.TokenFor("vm-i");

        var (code, output) = await InstallAsync(StageLinuxFolder(), root,
            ["--router", "127.0.0.1", "--port", bridge.Port.ToString(CultureInfo.InvariantCulture), "--token", token, "--ca", Pki.WriteRootPem(Temp.Path)]);

        Assert.True(code == 0, output);
        var etc = Path.Combine(root, "etc", "agents-vm-agent");
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(etc, "agent.env")));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(root, "var", "lib", "agents-vm-agent")));
        Assert.True(File.Exists(Path.Combine(root, "etc", "systemd", "system", "agents-vm-agent.service")));
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(Path.Combine(etc, "agent.json")), StringComparison.Ordinal);

        // what systemd does: EnvironmentFile=agent.env, then the installed binary with the installed config
        var environment = (await File.ReadAllLinesAsync(Path.Combine(etc, "agent.env"))).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        await using var agent = AgentProgram.Start(["--config", Path.Combine(etc, "agent.json"), "--sandbox-root", Path.Combine(Temp.Path, "sandbox")], environment);
        await Eventually.TrueAsync(() => bridge.Registry.IsConnected("vm-i"), "the installed agent to enroll and connect", 30);
    }

    [Fact]
    public async Task install_sh_refuses_an_unknown_option_and_installs_nothing()
    {
        var root = Path.Combine(Temp.Path, "root");

        var (code, output) = await InstallAsync(StageLinuxFolder(), root, ["--routr", "10.0.0.1"]);

        Assert.NotEqual(0, code);
        Assert.Contains("unknown option --routr", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root));
    }

    [Theory]
    [InlineData("aarch64", "arm64")]
    [InlineData("x86_64", "x64")]
    public async Task install_sh_installs_the_binary_built_for_the_machine_it_runs_on(string machine, string arch)
    {
        var stage = StageLinuxFolder("x64", "arm64");
        var root = Path.Combine(Temp.Path, "root");

        var (code, output) = await InstallAsync(stage, root, ["--router", "10.0.0.1", "--ca", Pki.WriteRootPem(Temp.Path)], FakeUname(machine));

        Assert.True(code == 0, output);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(stage, arch, Name)), await File.ReadAllTextAsync(Path.Combine(root, "usr", "local", "sbin", Name)));
    }

    [Fact]
    public async Task install_sh_on_a_machine_it_has_no_agent_for_names_what_it_has_and_installs_nothing()
    {
        var root = Path.Combine(Temp.Path, "root");

        var (code, output) = await InstallAsync(StageLinuxFolder("x64", "arm64"), root, ["--router", "10.0.0.1"], FakeUname("riscv64"));

        Assert.NotEqual(0, code);
        Assert.Contains("no agent for this machine (riscv64)", output, StringComparison.Ordinal);
        Assert.Contains("it has: arm64 x64", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root));
    }

    /// <summary>The first bytes of a binary built for <paramref name="rid"/>: enough of an ELF or PE header for the check.</summary>
    private static byte[] Header(string rid)
    {
        var bytes = new byte[512];
        if (rid.StartsWith("linux", StringComparison.Ordinal))
        {
            "\u007fELF"u8.CopyTo(bytes);
            bytes[4] = 2; // 64-bit
            BitConverter.TryWriteBytes(bytes.AsSpan(18), (ushort)(rid == "linux-arm64" ? 183 : 62));
        }
        else
        {
            "MZ"u8.CopyTo(bytes);
            BitConverter.TryWriteBytes(bytes.AsSpan(0x3c), 0x80);
            "PE\0\0"u8.CopyTo(bytes.AsSpan(0x80));
            BitConverter.TryWriteBytes(bytes.AsSpan(0x84), (ushort)(rid == "win-x86" ? 0x14c : 0x8664));
        }
        return bytes;
    }

    private string PublishedTree(Func<string, byte[]> header)
    {
        var output = Temp.Sub("publish");
        foreach (var rid in new[] { "linux-x64", "linux-arm64", "win-x64", "win-x86" })
            File.WriteAllBytes(Path.Combine(Temp.Sub(Path.Combine("publish", rid)), rid.StartsWith("win", StringComparison.Ordinal) ? Name + ".exe" : Name), header(rid));
        return output;
    }

    [Fact]
    public async Task build_packages_sh_packs_each_target_and_an_iso_holding_all_of_them_with_the_installers()
    {
        var output = PublishedTree(Header);

        var (code, log) = await RunAsync("bash", [Path.Combine(Packaging(), "build-packages.sh"), output, Pki.WriteRootPem(Temp.Path)]);

        Assert.True(code == 0, log);
        Assert.Contains("linux-arm64: 512 bytes, header says arm64", log, StringComparison.Ordinal);
        Assert.Contains("win-x86: 512 bytes, header says x86", log, StringComparison.Ordinal);
        foreach (var arch in new[] { "x64", "arm64" })
        {
            var tarball = TarEntries(Path.Combine(output, $"{Name}-linux-{arch}.tar.gz"));
            Assert.Contains($"{Name}/{arch}/{Name}", tarball);
            Assert.Contains($"{Name}/install.sh", tarball);
            Assert.Contains($"{Name}/ca.pem", tarball);
            Assert.Single(tarball, e => e.EndsWith("/" + Name, StringComparison.Ordinal));
        }
        foreach (var arch in new[] { "x64", "x86" })
        {
            using var zip = ZipFile.OpenRead(Path.Combine(output, $"{Name}-win-{arch}.zip"));
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains($"{arch}/{Name}.exe", entries);
            Assert.Contains("install-service.ps1", entries);
            Assert.Single(entries, e => e.EndsWith(".exe", StringComparison.Ordinal));
        }
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var deb = Path.Combine(output, $"{Name}_1.0.0_{arch}.deb");
            var (infoCode, info) = await RunAsync("dpkg-deb", ["--info", deb]);
            Assert.True(infoCode == 0, info);
            Assert.Contains($"Package: {Name}", info, StringComparison.Ordinal);
            Assert.Contains($"Architecture: {arch}", info, StringComparison.Ordinal);
            var (listCode, files) = await RunAsync("dpkg-deb", ["--contents", deb]);
            Assert.True(listCode == 0, files);
            foreach (var file in new[] { $"./usr/sbin/{Name}", $"./lib/systemd/system/{Name}.service", $"./usr/share/{Name}/privileged.conf", $"./usr/share/{Name}/ca.pem" })
                Assert.Contains(file, files, StringComparison.Ordinal);
            Assert.Contains("root/root", files, StringComparison.Ordinal);
        }
        var (isoCode, iso) = await RunAsync("xorriso", ["-indev", Path.Combine(output, $"{Name}.iso"), "-find", "/", "-type", "f"]);
        Assert.True(isoCode == 0, iso);
        foreach (var file in new[]
        {
            $"/linux/{Name}/x64/{Name}", $"/linux/{Name}/arm64/{Name}", $"/linux/{Name}/install.sh", $"/linux/{Name}-linux-arm64.tar.gz",
            $"/windows/x64/{Name}.exe", $"/windows/x86/{Name}.exe", "/windows/install-service.ps1", "/README.txt",
        })
            Assert.Contains($"'{file}'", iso, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linux-arm64", "linux-x64", "x64")]
    [InlineData("win-x86", "win-x64", "x64")]
    [InlineData("linux-x64", "win-x64", "another OS")]
    public async Task build_packages_sh_refuses_a_binary_built_for_another_target_and_packs_nothing(string rid, string builtFor, string named)
    {
        var output = PublishedTree(r => Header(r == rid ? builtFor : r));

        var (code, log) = await RunAsync("bash", [Path.Combine(Packaging(), "build-packages.sh"), output]);

        Assert.NotEqual(0, code);
        Assert.Contains($"is built for '{named}', not for {rid}", log, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output));
    }

    private static List<string> TarEntries(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry) names.Add(entry.Name.TrimEnd('/'));
        return names;
    }
}
