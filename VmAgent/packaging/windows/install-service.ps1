<#
.SYNOPSIS
  Installs agents-vm-agent as a Windows service (AgentsVmAgent). Run in an elevated PowerShell
  from the ISO's windows folder or the unpacked zip; the binary for this Windows is taken from
  x64\ (64-bit Windows) or x86\ (32-bit Windows) beside this script.
.EXAMPLE
  .\install-service.ps1 -Router 10.1.1.1 -Token 7f3c... -CaFile .\ca.pem
.EXAMPLE
  .\install-service.ps1 -Uninstall
#>
#Requires -RunAsAdministrator
param(
    [string[]] $Router = @(),
    [ValidateRange(1, 65535)] [int] $Port = 8443,
    [string] $Token,
    [string] $CaFile,
    [switch] $NoStart,
    [switch] $Uninstall
)
$ErrorActionPreference = 'Stop'
$name = 'AgentsVmAgent'
$here = $PSScriptRoot
$bin = Join-Path $env:ProgramFiles 'AgentsVmAgent'
$exe = Join-Path $bin 'agents-vm-agent.exe'
$conf = Join-Path $env:ProgramData 'AgentsVmAgent'
$configFile = Join-Path $conf 'agent.json'
# the OS, not this PowerShell (a 32-bit PowerShell on 64-bit Windows still gets x64); Windows on ARM64
# reports 64-bit and runs the x64 build emulated
$arch = if ([Environment]::Is64BitOperatingSystem) { 'x64' } else { 'x86' }
$source = Join-Path (Join-Path $here $arch) 'agents-vm-agent.exe'

if ($Uninstall) {
    if (Get-Service $name -ErrorAction SilentlyContinue) {
        Stop-Service $name -ErrorAction SilentlyContinue
        sc.exe delete $name | Out-Null
    }
    Remove-Item $bin -Recurse -Force -ErrorAction SilentlyContinue
    Write-Host "removed $name; kept $conf (the agent's key and journal)"
    return
}

if (-not (Test-Path $source)) { throw "no agent for this Windows ($arch) in $here" }
if (Get-Service $name -ErrorAction SilentlyContinue) { Stop-Service $name -ErrorAction SilentlyContinue }
New-Item -ItemType Directory -Force $bin, $conf, (Join-Path $conf 'data'), (Join-Path $conf 'recipes') | Out-Null
Copy-Item $source $exe -Force
# the key, the journal and the token: SYSTEM and Administrators only
icacls $conf /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' | Out-Null

if (-not (Test-Path (Join-Path $conf 'policy.json'))) { Copy-Item (Join-Path $here 'policy.json.sample') (Join-Path $conf 'policy.json') }
Copy-Item (Join-Path $here 'agent.json.sample') (Join-Path $conf 'agent.json.sample') -Force
if (-not $CaFile -and (Test-Path (Join-Path $here 'ca.pem'))) { $CaFile = Join-Path $here 'ca.pem' }
if ($CaFile) { Copy-Item $CaFile (Join-Path $conf 'ca.pem') -Force }

if (-not (Test-Path $configFile) -or $Router.Count -gt 0 -or $PSBoundParameters.ContainsKey('Port')) {
    $settings = [ordered]@{
        routers = @($Router)
        port = $Port
        dataDirectory = (Join-Path $conf 'data')
        caFile = (Join-Path $conf 'ca.pem')
        policyFile = (Join-Path $conf 'policy.json')
        recipeDirectory = (Join-Path $conf 'recipes')
    }
    # UTF-8 without BOM on every PowerShell version
    [IO.File]::WriteAllText($configFile, ($settings | ConvertTo-Json), (New-Object Text.UTF8Encoding $false))
}
if ($Token) {
    # read by the agent as its user-data file (the default on Windows); never on the service command line
    [IO.File]::WriteAllText((Join-Path $conf 'user-data.txt'), "agent_enrollment_token=$Token`n", (New-Object Text.UTF8Encoding $false))
}

& $exe --config $configFile --check
if ($LASTEXITCODE -ne 0) { throw "the settings in $configFile do not pass --check (see above)" }

$binaryPath = "`"$exe`" --service --config `"$configFile`""
if (Get-Service $name -ErrorAction SilentlyContinue) {
    sc.exe config $name binPath= $binaryPath start= auto | Out-Null
} else {
    New-Service -Name $name -BinaryPathName $binaryPath -DisplayName 'Agents VM agent' -StartupType Automatic `
        -Description 'Agents Framework VM agent: mutual TLS to the virtual router' | Out-Null
}
# restart after a crash: 5 s, 5 s, then every 60 s; the failure count resets after a day
sc.exe failure $name reset= 86400 actions= restart/5000/restart/5000/restart/60000 | Out-Null
if (-not $NoStart) { Start-Service $name; Write-Host "$name installed and started (log: $conf\data\agent.log)" }
else { Write-Host "$name installed (Start-Service $name)" }
