#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The staged manifest (artifacts/module/Ingestion/Ingestion.psd1) is the one users import, and it must pass
# Test-ModuleManifest. The repository-root Ingestion.psd1 is its source (and the one version source): it is copied
# as it is, and its FormatsToProcess and RootModule only resolve next to the staged files, so it is not tested here.

BeforeAll {
    $modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    $script:staged = (Resolve-Path -LiteralPath $modulePath).ProviderPath
    $script:source = Join-Path $PSScriptRoot '../../Ingestion.psd1'
}

Describe 'The staged manifest' {
    It 'passes Test-ModuleManifest' {
        $script:info = Test-ModuleManifest -Path $script:staged -ErrorAction Stop -WarningVariable warnings
        $script:info | Should -Not -BeNullOrEmpty
        $warnings | Should -BeNullOrEmpty
    }

    It 'is a copy of the repository manifest, byte for byte' {
        (Get-FileHash -LiteralPath $script:staged).Hash | Should -Be (Get-FileHash -LiteralPath $script:source).Hash
    }

    It 'resolves the formats file, the root module and the nested loader next to it' {
        $base = Split-Path -Parent $script:staged
        $data = Import-PowerShellDataFile -LiteralPath $script:staged
        foreach ($file in @($data.FormatsToProcess) + $data.RootModule + @($data.NestedModules)) {
            Join-Path $base $file | Should -Exist
        }
        $script:info.ExportedFormatFiles | Should -HaveCount 1
        $script:info.ExportedFormatFiles[0] | Should -Be (Join-Path $base 'Ingestion.format.ps1xml')
    }

    It 'reports the version, edition and every exported cmdlet the source manifest declares' {
        $data = Import-PowerShellDataFile -LiteralPath $script:source
        $script:info.Version | Should -Be ([version] $data.ModuleVersion)
        $script:info.CompatiblePSEditions | Should -Be @('Core')
        @($script:info.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
        $script:info.LicenseUri | Should -Be $data.PrivateData.PSData.LicenseUri
    }
}
