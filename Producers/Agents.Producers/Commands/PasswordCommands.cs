using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Jobs;
using Agents.Security.Identity;
using Agents.Security.Sealing;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>
/// resetPasswordForVirtualMachine: a new strong password, sealed to the key of the VM's current
/// agent certificate (from the CA) before it is published, so the bus and the bridge carry only
/// ciphertext. The caller gets the password from the job result, once; until then it is kept
/// encrypted and purged after agents.password.ttl.
/// </summary>
public sealed class ResetPasswordForVirtualMachine(VmAccess vms, CaClient ca, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiCommand
{
    public string Name => "resetPasswordForVirtualMachine";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var vm = await vms.RequireAsync(call, call.RequiredId("id"), ct).ConfigureAwait(false);
        var username = call.Username(options.Value.Provisioning.DefaultUsername);
        var holder = await ca.CallAsync<HolderCertificate>(new GetHolderCertificate { Holder = HolderIdentity.Vm(vm.Id).Uri }, ct).ConfigureAwait(false);
        using var certificate = X509Certificate2.CreateFromPem(holder.Certificate);
        var password = Passwords.Generate(options.Value.Provisioning.PasswordLength);
        var payload = new ResetVmPassword { Username = username, SealedPassword = SecretSealer.Seal(password, certificate) };
        var job = await jobs.LaunchAsync(call, ResourceTypes.VirtualMachine, vm.Id,
            [new TargetSpec(vm.RouterId, vm.Id, CommandTypes.ResetVmPassword, payload)], secret: password, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, vm.Id);
    }
}

/// <summary>Strong random passwords: upper, lower, digit and symbol each at least once, from a CSPRNG.</summary>
public static class Passwords
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!#%+-.:=?@_";

    public static string Generate(int length)
    {
        if (length < 12) throw new ArgumentOutOfRangeException(nameof(length), "at least 12 characters");
        const string all = Upper + Lower + Digits + Symbols;
        var chars = RandomNumberGenerator.GetItems<char>(all, length);
        chars[0] = RandomNumberGenerator.GetItems<char>(Upper, 1)[0];
        chars[1] = RandomNumberGenerator.GetItems<char>(Lower, 1)[0];
        chars[2] = RandomNumberGenerator.GetItems<char>(Digits, 1)[0];
        chars[3] = RandomNumberGenerator.GetItems<char>(Symbols, 1)[0];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
