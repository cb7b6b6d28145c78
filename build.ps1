#!/usr/bin/env pwsh
#Requires -Version 7.4
<#
.SYNOPSIS
    Task runner for the Ingestion module: a thin layer over dotnet.
.DESCRIPTION
    Build   - stage the importable module folder (artifacts/module/Ingestion) with dotnet publish.
    Test    - run every test suite (the same command as README.md and .ci/run).
    Package - stage the module and pack it as artifacts/package/Ingestion.<version>.nupkg, the layout the
              PowerShell Gallery receives (dotnet pack src/Ingestion.PowerShell).
    Demo    - build, start the local emulator, ingest the sample data and show the final batch statuses.
.EXAMPLE
    ./build.ps1 Demo
.EXAMPLE
    ./build.ps1 Package
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleDir = Join-Path $root 'artifacts/module/Ingestion'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor DarkGray
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Dotnet publish (Join-Path $root 'src/Ingestion.PowerShell/Ingestion.PowerShell.csproj') -c $Configuration --nologo
    Write-Host "Module staged at $moduleDir"
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'Ingestion.slnx') -c $Configuration --nologo
}

function Invoke-Package {
    # Pack runs the publish that stages the module, then packs the staged folder as it is.
    Invoke-Dotnet pack (Join-Path $root 'src/Ingestion.PowerShell/Ingestion.PowerShell.csproj') -c $Configuration --nologo
    Write-Host "Package written to $(Join-Path $root 'artifacts/package')"
}

function Invoke-Demo {
    Invoke-Build
    $demo = Join-Path $root 'samples/demo.ps1'
    $manifest = Join-Path $moduleDir 'Ingestion.psd1'
    # A child pwsh keeps this session free of the module, whose assemblies cannot be unloaded before the next build.
    $pwsh = Get-Command pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($pwsh) {
        & $pwsh.Source -NoProfile -File $demo -ModulePath $manifest
        if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
    }
    else {
        & $demo -ModulePath $manifest
    }
}

foreach ($t in $Task) {
    & "Invoke-$t"
}
