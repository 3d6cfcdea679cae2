using System.Text;
using Agents.Producers.Client;
using Agents.Demo.Stack;
using Agents.Testing;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests.Support;

/// <summary>
/// The whole system as ./run demo starts it (broker, CA, consumers, API, bridge, agents: each a
/// process), with 20 more agents for a fan-out, one to revoke and one that first comes up in a test, two user accounts (acme: alice;
/// globex: bob, who owns a VM with a hostile name and no agent), an advanced health check that
/// fails on demand, and Debian's chromium driven by Playwright.
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    public const int FanOutSize = 20;
    public const string AliceUser = "alice";
    public const string BobUser = "bob";
    public const string HostileName = "<img src=x onerror=alert(1)>";
    public const string HealthCheck = "disk-health";

    private readonly StringBuilder _log = new();
    private DemoStack? _stack;
    private IPlaywright? _playwright;

    public StackLayout Layout { get; } = StackLayout.Create(Directory.CreateTempSubdirectory("console-stack-").FullName);
    public DemoStack Stack => _stack ?? throw new InvalidOperationException("the stack is not started");
    public CloudStackClient Admin => Stack.Api;
    public IBrowser Browser { get; private set; } = null!;
    public string AlicePassword { get; } = "Alice-" + Guid.NewGuid().ToString("N")[..12];
    public string BobPassword { get; } = "Bob-" + Guid.NewGuid().ToString("N")[..12];
    public string AdminPassword => Stack.AdminPassword;
    public string ConsoleUrl => Layout.ConsoleUrl;
    public string HealthFailMarker => Path.Combine(Layout.RunDirectory, "disk-health-fails");

    /// <summary>acme's VMs fan-01 … fan-20, each with an agent.</summary>
    public IReadOnlyList<DemoVm> FanOutVms { get; } = [.. Enumerable.Range(1, FanOutSize).Select(i => new DemoVm($"7c0de000-0000-4000-8000-{i:000000000000}", $"fan-{i:00}", "127.0.0.1"))];
    /// <summary>acme's VM whose certificate a test revokes.</summary>
    public DemoVm SpareVm { get; } = new("7c0de000-0000-4000-8000-5fa2e0000001", "spare-1", "127.0.0.1");
    /// <summary>acme's VM whose agent starts only once a test has chosen its first-boot recipes.</summary>
    public DemoVm FirstBootVm { get; } = new("7c0de000-0000-4000-8000-f12570000001", "fresh-1", "127.0.0.1");
    /// <summary>Every VM of acme (alice's account).</summary>
    public IReadOnlyList<DemoVm> AcmeVms => [.. FanOutVms, SpareVm, FirstBootVm];
    /// <summary>globex's VM: a hostile name, no agent.</summary>
    public string GlobexVmId { get; } = "7c0de000-0000-4000-8000-91ebe0000001";

    public string Log => _log.ToString();

    public async Task InitializeAsync()
    {
        _stack = new DemoStack(Layout, line => { lock (_log) _log.AppendLine(line); });
        try
        {
            await File.WriteAllTextAsync(Path.Combine(Layout.HealthChecksDirectory, HealthCheck),
                $"#!/bin/sh\nif [ -e '{HealthFailMarker}' ]; then echo 'disk /var is full'; exit 1; fi\necho 'disk /var has room'\n");
            // the bridge runs every executable in the folder (Linux only, like the router it stands for)
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(Path.Combine(Layout.HealthChecksDirectory, HealthCheck), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await Stack.StartAsync();
            await Admin.CallAsync("createAccount", ("account", "acme"), ("accounttype", "0"), ("username", AliceUser), ("password", AlicePassword),
                ("firstname", "Alice"), ("lastname", "Acme"), ("email", "alice@acme.example"));
            await Admin.CallAsync("createAccount", ("account", "globex"), ("accounttype", "0"), ("username", BobUser), ("password", BobPassword),
                ("firstname", "Bob"), ("lastname", "Globex"), ("email", "bob@globex.example"));
            await Admin.CallAsync("registerVirtualMachine", ("id", GlobexVmId), ("name", HostileName), ("routerid", StackLayout.RouterId), ("account", "globex"));
            foreach (var vm in FanOutVms.Append(SpareVm))
            {
                await Admin.CallAsync("registerVirtualMachine", ("id", vm.Id), ("name", vm.Name), ("routerid", StackLayout.RouterId), ("account", "acme"));
                await Stack.StartAgentAsync(vm, await Stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id)));
            }
            await Admin.CallAsync("registerVirtualMachine", ("id", FirstBootVm.Id), ("name", FirstBootVm.Name), ("routerid", StackLayout.RouterId), ("account", "acme"));
            await Stack.WaitForAgentsAsync(FanOutVms.Append(SpareVm).Select(v => v.Id), TimeSpan.FromSeconds(180));
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
            });
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the console's stack did not start: {e.Message}\n{Log}\n{Tails()}", e);
        }
    }

    /// <summary>A fresh browser (own cookies) with a page at <paramref name="path"/> of the console.</summary>
    public async Task<IPage> OpenAsync(string path = "")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Layout.ApiUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(ConsoleUrl + path.TrimStart('/'));
        return page;
    }

    /// <summary>A browser signed in as <paramref name="user"/>, on the overview.</summary>
    public async Task<IPage> SignedInAsync(string user, string password)
    {
        var page = await OpenAsync();
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Overview" }).WaitForAsync();
        return page;
    }

    public Task<IPage> AdminAsync() => SignedInAsync(DemoStack.AdminUser, AdminPassword);

    public Task<IPage> AliceAsync() => SignedInAsync(AliceUser, AlicePassword);

    /// <summary>The PNG for docs/console.md, from this run.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(RepositoryPaths.Root, "docs", "console", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
    }

    public string Tails() => string.Join("\n", (_stack?.Services ?? []).Where(s => !s.Name.StartsWith("agent-", StringComparison.Ordinal)).Select(s => $"--- {s.Name}\n{s.Tail(15)}"));

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_stack is not null) await _stack.DisposeAsync();
        try { Directory.Delete(Layout.RunDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleStack>
{
    public const string Name = "console";
}
