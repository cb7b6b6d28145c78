#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module next to another module's Polly: a different Polly.Core is already loaded when Import-Module runs, and
# the engine still gets its own, in its private AssemblyLoadContext. A fresh child pwsh, so nothing of this session leaks in.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    $script:moduleDir = Split-Path -Parent (Resolve-Path -LiteralPath $script:modulePath)
    # Another Polly.Core than the engine's; tests/Ingestion.Pester.Tests downloads it into the package cache.
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $script:otherPolly = Join-Path $packages 'polly.core/8.1.0/lib/net6.0/Polly.Core.dll'
    $script:profilesJson = Join-Path $PSScriptRoot '../../samples/profiles.json'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-isolation-$([guid]::NewGuid())"

    $child = @'
param($OtherPolly, $ModulePath, $DataDir, $File)
$ErrorActionPreference = 'Stop'
function Describe-Assembly($Assembly) {
    [ordered]@{
        Location    = $Assembly.Location
        Context     = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($Assembly).Name
        FileVersion = [Diagnostics.FileVersionInfo]::GetVersionInfo($Assembly.Location).FileVersion
    }
}
# Another module got there first.
Add-Type -Path $OtherPolly
Import-Module $ModulePath
$emulator = Start-IngestEmulator -DataDirectory $DataDir
try {
    $emulator | Connect-IngestService
    $dataset = New-IngestDataset -Name 'Isolation' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
    $batch = New-IngestBatch -DatasetId $dataset.Id -Format Json -MultiLineJson
    $upload = $batch | Send-IngestFile -LiteralPath $File
    $polly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' }
    $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Ingestion.Core' }
    $result = [ordered]@{
        Uploaded    = $upload.RemoteName
        Bytes       = $upload.Bytes
        Polly       = @($polly | ForEach-Object { Describe-Assembly $_ })
        Engine      = @($engine | ForEach-Object { Describe-Assembly $_ })
        SessionType = (Get-Command Connect-IngestService).OutputType.Type.FullName
    }
    'RESULT:' + ($result | ConvertTo-Json -Depth 4 -Compress)
}
finally {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    $emulator | Stop-IngestEmulator -Confirm:$false
}
'@
    $script:scriptFile = Join-Path ([IO.Path]::GetTempPath()) "ingestion-isolation-$([guid]::NewGuid()).ps1"
    Set-Content -LiteralPath $script:scriptFile -Value $child
    $script:run = $null
    if (Test-Path -LiteralPath $script:otherPolly) {
        # This very pwsh: its own executable, or `dotnet pwsh.dll` when it runs as a dotnet tool.
        $host_ = [Environment]::ProcessPath
        $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { @($host_, (Join-Path $PSHOME 'pwsh.dll')) } else { @($host_) }
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script:scriptFile -OtherPolly $script:otherPolly -ModulePath $script:modulePath -DataDir $script:dataDir -File $script:profilesJson 2>&1
        $script:childOutput = $output -join [Environment]::NewLine
        $script:exitCode = $LASTEXITCODE
        $line = $output | Where-Object { "$_".StartsWith('RESULT:') } | Select-Object -Last 1
        if ($line) { $script:run = "$line".Substring(7) | ConvertFrom-Json }
    }
}

AfterAll {
    if ($script:scriptFile) { Remove-Item -LiteralPath $script:scriptFile -Force -ErrorAction SilentlyContinue }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Another module''s Polly.Core loaded before Import-Module' {
    It 'has the conflicting Polly.Core to load' {
        $script:otherPolly | Should -Exist -Because 'restoring tests/Ingestion.Pester.Tests downloads Polly.Core 8.1.0'
    }

    It 'uploads a file through the engine in a child pwsh' {
        $script:exitCode | Should -Be 0 -Because $script:childOutput
        $script:run | Should -Not -BeNullOrEmpty -Because $script:childOutput
        $script:run.Uploaded | Should -Be 'profiles.json'
        $script:run.Bytes | Should -Be (Get-Item -LiteralPath $script:profilesJson).Length
    }

    It 'leaves the other Polly.Core in the default context and gives the engine its own in the Ingestion context' {
        $script:run.Polly | Should -HaveCount 2
        $other = $script:run.Polly | Where-Object Context -EQ 'Default'
        $ours = $script:run.Polly | Where-Object Context -EQ 'Ingestion'
        $other.Location | Should -Be (Resolve-Path -LiteralPath $script:otherPolly).Path
        $ours.Location | Should -Be (Join-Path $script:moduleDir 'dependencies/Polly.Core.dll')
        $ours.FileVersion | Should -Not -Be $other.FileVersion
        Write-Host "Polly.Core: other module $($other.FileVersion) in Default ($($other.Location)); engine $($ours.FileVersion) in Ingestion ($($ours.Location))"
    }

    It 'loads the engine once, from dependencies/, in the Ingestion context' {
        $script:run.Engine | Should -HaveCount 1
        $script:run.Engine[0].Context | Should -Be 'Ingestion'
        $script:run.Engine[0].Location | Should -Be (Join-Path $script:moduleDir 'dependencies/Ingestion.Core.dll')
        $script:run.SessionType | Should -Be 'Ingestion.Core.Sessions.IngestSession'
    }
}
