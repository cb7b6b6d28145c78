#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The package as a user gets it: artifacts/package/Ingestion.<version>.nupkg (./build.ps1 Package, or
# `dotnet pack src/Ingestion.PowerShell`) installed with PSResourceGet from a local folder repository, and compared
# with what Publish-PSResource itself packs from the staged module. Everything PSResourceGet touches (its repository
# store, the CurrentUser module folder) lives under a temporary HOME in a child pwsh, never the real user folders.

BeforeAll {
    $modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    $script:stagedDir = Split-Path -Parent (Resolve-Path $modulePath).ProviderPath
    $script:manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot '../../Ingestion.psd1')
    $script:packagePath = Join-Path $PSScriptRoot "../../artifacts/package/Ingestion.$($manifest.ModuleVersion).nupkg"
    $script:skipReason = if (-not (Get-Module -ListAvailable -Name Microsoft.PowerShell.PSResourceGet)) {
        'Microsoft.PowerShell.PSResourceGet is not available in this pwsh (it ships with PowerShell 7.4 and later).'
    }
    elseif ($IsWindows) {
        # Install-PSResource -Scope CurrentUser writes to Documents, which no environment variable redirects.
        'On Windows the CurrentUser scope cannot be redirected to a temporary folder; run this on Linux or macOS.'
    }

    function Get-RelativeFiles([string] $Root) {
        Get-ChildItem -LiteralPath $Root -Recurse -File -Force |
            ForEach-Object { [IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/') } |
            Sort-Object
    }

    if (-not $script:skipReason) {
        if (-not (Test-Path -LiteralPath $packagePath)) {
            throw "The package is missing at $packagePath; build it with ./build.ps1 Package or dotnet pack src/Ingestion.PowerShell."
        }
        $script:work = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-package-$([guid]::NewGuid())"
        $tempHome = Join-Path $work 'home'
        $repo = Join-Path $work 'repo'
        $published = Join-Path $work 'published'
        # .NET reports a special folder only if it exists, and PSResourceGet falls back to the current directory.
        foreach ($dir in $repo, $published, "$tempHome/.config", "$tempHome/.local/share", "$tempHome/.cache") {
            $null = New-Item -ItemType Directory -Path $dir -Force
        }
        Copy-Item -LiteralPath $packagePath -Destination $repo

        $child = {
            param($Repo, $Published, $Staged, $Work)
            $ErrorActionPreference = 'Stop'
            $ProgressPreference = 'SilentlyContinue'
            Register-PSResourceRepository -Name IngestionLocal -Uri $Repo -Trusted
            Register-PSResourceRepository -Name IngestionPublished -Uri $Published -Trusted
            $found = Find-PSResource -Name Ingestion -Repository IngestionLocal
            Install-PSResource -Name Ingestion -Repository IngestionLocal -Scope CurrentUser -TrustRepository -Quiet
            $installed = Get-InstalledPSResource -Name Ingestion -Scope CurrentUser
            $installedDir = Join-Path $installed.InstalledLocation "Ingestion/$($installed.Version)"
            Import-Module -Name Ingestion -RequiredVersion $installed.Version
            $module = Get-Module -Name Ingestion
            Publish-PSResource -Path $Staged -Repository IngestionPublished
            [pscustomobject]@{
                FoundName       = $found.Name
                FoundVersion    = "$($found.Version)"
                FoundCmdlets    = @($found.Includes.Cmdlet)
                InstalledDir    = $installedDir
                ImportedFrom    = $module.ModuleBase
                Commands        = @(Get-Command -Module Ingestion | ForEach-Object Name)
                PublishedNupkg  = (Get-ChildItem -LiteralPath $Published -Filter *.nupkg | Select-Object -First 1).FullName
            } | ConvertTo-Json -Compress
        }

        $saved = @{}
        $environment = @{ HOME = $tempHome; XDG_CONFIG_HOME = "$tempHome/.config"; XDG_DATA_HOME = "$tempHome/.local/share"; XDG_CACHE_HOME = "$tempHome/.cache"; PSModulePath = $null }
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        try {
            foreach ($name in $environment.Keys) { [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
            # $PSHOME holds the pwsh launcher even when this process is `dotnet pwsh.dll` (a dotnet tool install).
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = [Environment]::ProcessPath }
            $output = & $pwsh -NoProfile -NonInteractive -WorkingDirectory $work -Command $child -args $repo, $published, $stagedDir, $work 2>&1
            if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit $LASTEXITCODE): $($output -join [Environment]::NewLine)" }
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $script:result = ($output | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json

        Add-Type -AssemblyName System.IO.Compression.FileSystem
        function Read-Package([string] $Path) {
            $zip = [IO.Compression.ZipFile]::OpenRead($Path)
            try {
                $entries = @($zip.Entries | ForEach-Object FullName)
                $reader = [IO.StreamReader]::new($zip.GetEntry('Ingestion.nuspec').Open())
                try { $nuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
                [pscustomobject]@{
                    # The core-properties part is named at random by Publish-PSResource and deterministically by dotnet pack.
                    Entries  = @($entries -replace '^(package/services/metadata/core-properties/)[^/]+\.psmdcp$', '$1*.psmdcp' | Sort-Object)
                    Metadata = $nuspec.package.metadata
                }
            }
            finally { $zip.Dispose() }
        }
        $script:ours = Read-Package (Resolve-Path $packagePath).ProviderPath
        $script:theirs = Read-Package $result.PublishedNupkg
    }
}

AfterAll {
    if ($script:work) { Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The Ingestion package' {
    BeforeEach {
        if ($script:skipReason) { Set-ItResult -Skipped -Because $script:skipReason }
    }

    It 'is found in a local folder repository under the manifest name and version, with its cmdlets' {
        if ($script:skipReason) { return }
        $result.FoundName | Should -Be 'Ingestion'
        $result.FoundVersion | Should -Be $manifest.ModuleVersion
        $result.FoundCmdlets | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'installs with Install-PSResource into the temporary CurrentUser folder, with every staged file' {
        if ($script:skipReason) { return }
        $result.InstalledDir | Should -BeLike "$script:work*"
        $installed = Get-RelativeFiles $result.InstalledDir | Where-Object { $_ -ne 'PSGetModuleInfo.xml' }
        $installed | Should -Be (Get-RelativeFiles $stagedDir)
    }

    It 'imports from the installed folder and exports exactly the manifest cmdlets' {
        if ($script:skipReason) { return }
        $result.ImportedFrom | Should -Be $result.InstalledDir
        $result.Commands | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'holds the same entries as the package Publish-PSResource makes from the staged folder' {
        if ($script:skipReason) { return }
        $ours.Entries | Should -Be $theirs.Entries
    }

    It 'has the nuspec metadata Publish-PSResource writes, and its tags plus the command tags' {
        if ($script:skipReason) { return }
        foreach ($field in 'id', 'version', 'authors', 'owners', 'description', 'releaseNotes', 'copyright', 'licenseUrl', 'projectUrl', 'requireLicenseAcceptance') {
            $ours.Metadata.$field | Should -Be $theirs.Metadata.$field -Because "<$field> should match"
        }
        $ourTags = $ours.Metadata.tags -split ' '
        $theirs.Metadata.tags -split ' ' | ForEach-Object { $ourTags | Should -Contain $_ }
        foreach ($cmdlet in $manifest.CmdletsToExport) {
            $ourTags | Should -Contain "PSCmdlet_$cmdlet"
            $ourTags | Should -Contain "PSCommand_$cmdlet"
        }
        $ourTags | Should -Contain 'PSEdition_Core'
    }
}
