#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module next to another module's Polly: a different Polly.Core is loaded in the default context, and the engine
# still gets its own, in its private AssemblyLoadContext. A fresh child pwsh per case, so nothing of this session leaks in.

# Three cases: Polly.Core 8.1.0 (same assembly version as ours, 8.0.0.0: only the file versions differ) loaded before
# Import-Module; the same loaded after the module has run (another module imported later); and a Polly.Core with a
# different assembly version (99.0.0.0, built here: every Polly.Core 8.x on the feed is 8.0.0.0) loaded before.

BeforeDiscovery {
    $script:cases = @(
        @{ Case = 'Polly.Core 8.1.0 loaded before Import-Module'; Order = 'Before'; Other = 'Feed' }
        @{ Case = 'Polly.Core 8.1.0 loaded after the module ran'; Order = 'After'; Other = 'Feed' }
        @{ Case = 'a Polly.Core of assembly version 99.0.0.0 loaded before Import-Module'; Order = 'Before'; Other = 'Built' }
    )
}

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    $script:moduleDir = Split-Path -Parent (Resolve-Path -LiteralPath $script:modulePath)
    # Another Polly.Core than the engine's; tests/Ingestion.Pester.Tests downloads it into the package cache.
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $script:feedPolly = Join-Path $packages 'polly.core/8.1.0/lib/net6.0/Polly.Core.dll'
    $script:profilesJson = Join-Path $PSScriptRoot '../../samples/profiles.json'
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-isolation-$([guid]::NewGuid())"
    $null = New-Item -ItemType Directory -Path $script:work

    # This very pwsh: its own executable, or `dotnet pwsh.dll` when it runs as a dotnet tool.
    $host_ = [Environment]::ProcessPath
    $script:pwsh = if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { @($host_, (Join-Path $PSHOME 'pwsh.dll')) } else { @($host_) }

    # Runs a script in a fresh child pwsh; returns its output lines, exit code and the JSON after 'RESULT:'.
    function script:Invoke-Child([string] $Script, [hashtable] $Parameters) {
        $file = Join-Path $script:work "child-$([guid]::NewGuid()).ps1"
        Set-Content -LiteralPath $file -Value $Script
        $arguments = foreach ($key in $Parameters.Keys) { "-$key"; $Parameters[$key] }
        $output = & $script:pwsh[0] @($script:pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file @arguments 2>&1
        $line = $output | Where-Object { "$_".StartsWith('RESULT:') } | Select-Object -Last 1
        [pscustomobject]@{
            Output   = $output -join [Environment]::NewLine
            ExitCode = $LASTEXITCODE
            Result   = if ($line) { "$line".Substring(7) | ConvertFrom-Json }
        }
    }

    # A Polly.Core with another assembly version than any on the feed, holding the type the engine would need.
    $script:builtPolly = Join-Path $script:work 'built/Polly.Core.dll'
    $null = New-Item -ItemType Directory -Path (Split-Path $script:builtPolly)
    # Compiled with the Roslyn that Add-Type brings, so the assembly is named Polly.Core (Add-Type would name it itself).
    $build = Invoke-Child -Script @'
param($Out)
$ErrorActionPreference = 'Stop'
$null = Add-Type -TypeDefinition 'public static class IngestionIsolationWarmup { }'
$source = @"
[assembly: System.Reflection.AssemblyVersion("99.0.0.0")]
[assembly: System.Reflection.AssemblyFileVersion("99.0.0.0")]
namespace Polly { public sealed class ResiliencePipeline { } }
"@
$runtime = [IO.Path]::GetDirectoryName([object].Assembly.Location)
$references = [Microsoft.CodeAnalysis.MetadataReference[]] @(
    [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile([object].Assembly.Location)
    [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile((Join-Path $runtime 'System.Runtime.dll'))
)
$compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('Polly.Core',
    [Microsoft.CodeAnalysis.SyntaxTree[]] @([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($source)), $references,
    [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
$stream = [IO.File]::Create($Out)
try { $emitted = $compilation.Emit([IO.Stream] $stream) } finally { $stream.Dispose() }
if (-not $emitted.Success) { throw ($emitted.Diagnostics -join [Environment]::NewLine) }
'@ -Parameters @{ Out = $script:builtPolly }
    if (-not (Test-Path -LiteralPath $script:builtPolly)) { throw "Could not build the test Polly.Core: $($build.Output)" }

    $script:child = @'
param($OtherPolly, $Order, $ModulePath, $DataDir, $File)
$ErrorActionPreference = 'Stop'
function Describe-Assembly($Assembly) {
    [ordered]@{
        Location        = $Assembly.Location
        Context         = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($Assembly).Name
        FileVersion     = [Diagnostics.FileVersionInfo]::GetVersionInfo($Assembly.Location).FileVersion
        AssemblyVersion = $Assembly.GetName().Version.ToString()
    }
}
function Send-One {
    $dataset = New-IngestDataset -Name 'Isolation' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
    New-IngestBatch -DatasetId $dataset.Id -Format Json -MultiLineJson | Send-IngestFile -LiteralPath $File
}
# Another module got there first, or comes later.
$other = $null
if ($Order -eq 'Before') { $other = [Reflection.Assembly]::LoadFrom($OtherPolly) }
Import-Module $ModulePath
$emulator = Start-IngestEmulator -DataDirectory $DataDir
try {
    $emulator | Connect-IngestService
    $uploads = @(Send-One)
    if ($Order -eq 'After') {
        $other = [Reflection.Assembly]::LoadFrom($OtherPolly)
        $uploads += Send-One
    }
    $polly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' }
    $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Ingestion.Core' }
    $result = [ordered]@{
        Uploaded       = @($uploads.RemoteName)
        Bytes          = @($uploads.Bytes)
        Polly          = @($polly | ForEach-Object { Describe-Assembly $_ })
        Engine         = @($engine | ForEach-Object { Describe-Assembly $_ })
        OtherPipeline  = $other.GetType('Polly.ResiliencePipeline', $true).Assembly.Location
        SessionType    = (Get-Command Connect-IngestService).OutputType.Type.FullName
    }
    'RESULT:' + ($result | ConvertTo-Json -Depth 4 -Compress)
}
finally {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    $emulator | Stop-IngestEmulator -Confirm:$false
}
'@
}

AfterAll {
    if ($script:work) { Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Another module''s Polly: <Case>' -ForEach $script:cases {
    BeforeAll {
        $script:otherPolly = if ($Other -eq 'Feed') { $script:feedPolly } else { $script:builtPolly }
        $script:run = $null
        if (Test-Path -LiteralPath $script:otherPolly) {
            $dataDir = Join-Path $script:work "data-$([guid]::NewGuid())"
            $child = Invoke-Child -Script $script:child -Parameters @{ OtherPolly = $script:otherPolly; Order = $Order; ModulePath = $script:modulePath; DataDir = $dataDir; File = $script:profilesJson }
            $script:childOutput = $child.Output
            $script:exitCode = $child.ExitCode
            $script:run = $child.Result
        }
    }

    It 'has the conflicting Polly.Core to load' {
        $script:otherPolly | Should -Exist -Because 'restoring tests/Ingestion.Pester.Tests downloads Polly.Core 8.1.0'
    }

    It 'uploads files through the engine in a child pwsh' {
        $script:exitCode | Should -Be 0 -Because $script:childOutput
        $script:run | Should -Not -BeNullOrEmpty -Because $script:childOutput
        $expected = if ($Order -eq 'After') { 2 } else { 1 }
        $script:run.Uploaded | Should -HaveCount $expected
        $script:run.Uploaded | Should -Be (@('profiles.json') * $expected)
        $script:run.Bytes | ForEach-Object { $_ | Should -Be (Get-Item -LiteralPath $script:profilesJson).Length }
    }

    It 'leaves the other Polly.Core in the default context, usable, and gives the engine its own in the Ingestion context' {
        $script:run.Polly | Should -HaveCount 2
        $other = $script:run.Polly | Where-Object Context -EQ 'Default'
        $ours = $script:run.Polly | Where-Object Context -EQ 'Ingestion'
        $other.Location | Should -Be (Resolve-Path -LiteralPath $script:otherPolly).Path
        $ours.Location | Should -Be (Join-Path $script:moduleDir 'dependencies/Polly.Core.dll')
        $ours.FileVersion | Should -Not -Be $other.FileVersion
        $script:run.OtherPipeline | Should -Be $other.Location -Because 'the other module still gets its own Polly types'
        if ($Other -eq 'Built') {
            $other.AssemblyVersion | Should -Be '99.0.0.0'
            $ours.AssemblyVersion | Should -Not -Be $other.AssemblyVersion
        }
        Write-Host "Polly.Core: other $($other.AssemblyVersion)/$($other.FileVersion) in Default; engine $($ours.AssemblyVersion)/$($ours.FileVersion) in Ingestion"
    }

    It 'loads the engine once, from dependencies/, in the Ingestion context' {
        $script:run.Engine | Should -HaveCount 1
        $script:run.Engine[0].Context | Should -Be 'Ingestion'
        $script:run.Engine[0].Location | Should -Be (Join-Path $script:moduleDir 'dependencies/Ingestion.Core.dll')
        $script:run.SessionType | Should -Be 'Ingestion.Core.Sessions.IngestSession'
    }
}

Describe 'Two copies of the module in one process, and Remove-Module' {
    BeforeAll {
        # A second copy of the staged module in another folder, as when an installed copy and a build are both imported.
        $script:copyDir = Join-Path $script:work 'copy/Ingestion'
        $null = New-Item -ItemType Directory -Path (Split-Path $script:copyDir)
        Copy-Item -LiteralPath $script:moduleDir -Destination $script:copyDir -Recurse
        $child = Invoke-Child -Script @'
param($ModulePath, $CopyPath, $DataDir)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$null = Get-IngestUpload -WarningVariable sameCopy
$emulator = Start-IngestEmulator -DataDirectory $DataDir
try {
    $emulator | Connect-IngestService
    Remove-Module Ingestion
    Import-Module $ModulePath
    $afterReimport = try { Get-IngestDataset -ErrorAction Stop; 'listed' } catch { $_.FullyQualifiedErrorId }
    $null = Get-IngestUpload -WarningVariable reimported
    Import-Module $CopyPath
    $null = Get-IngestUpload -WarningVariable otherCopy
    $null = Get-IngestUpload -WarningVariable otherCopyAgain
    'RESULT:' + ([ordered]@{
        SameCopy       = @($sameCopy | ForEach-Object Message)
        AfterReimport  = $afterReimport
        Reimported     = @($reimported | ForEach-Object Message)
        OtherCopy      = @($otherCopy | ForEach-Object Message)
        OtherCopyAgain = @($otherCopyAgain | ForEach-Object Message)
    } | ConvertTo-Json -Compress)
}
finally { $emulator | Stop-IngestEmulator -Confirm:$false }
'@ -Parameters @{ ModulePath = $script:modulePath; CopyPath = (Join-Path $script:copyDir 'Ingestion.psd1'); DataDir = (Join-Path $script:work "data-$([guid]::NewGuid())") }
        $script:copyOutput = $child.Output
        $script:copyRun = $child.Result
    }

    It 'runs the child' {
        $script:copyRun | Should -Not -BeNullOrEmpty -Because $script:copyOutput
    }

    It 'warns once, naming both folders, when another copy is imported into a process that runs this one' {
        $script:copyRun.SameCopy | Should -BeNullOrEmpty
        $script:copyRun.Reimported | Should -BeNullOrEmpty -Because 're-importing the same folder is no conflict'
        $script:copyRun.OtherCopy | Should -HaveCount 1
        $script:copyRun.OtherCopy[0] | Should -BeLike "*imported from '$script:copyDir'*"
        $script:copyRun.OtherCopy[0] | Should -BeLike "*from '$script:moduleDir'*"
        $script:copyRun.OtherCopyAgain | Should -BeNullOrEmpty -Because 'the warning comes once'
    }

    It 'closes the default session on Remove-Module, so a re-imported module starts without one' {
        $script:copyRun.AfterReimport | Should -BeLike 'NoSession,*'
    }
}
