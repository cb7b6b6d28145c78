#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-Help as a user sees it: the compiled MAML of the staged module, read by the real Get-Help, for every exported cmdlet.

BeforeDiscovery {
    $modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $modulePath -Force
    $script:cmdlets = @((Get-Module Ingestion).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters
    function Get-Text($node) { (@($node) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n" }
}

Describe 'The module exports cmdlets to document' {
    It 'exports every cmdlet the manifest lists' {
        (Get-Module Ingestion).ExportedCmdlets.Count | Should -BeGreaterThan 0
        (Get-Module Ingestion).ExportedCmdlets.Count | Should -Be @((Import-PowerShellDataFile $script:modulePath).CmdletsToExport).Count
    }
}

Describe 'Get-Help <Name> -Full' -ForEach $script:cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'comes from the module''s MAML, with a written synopsis' {
        $help.ModuleName | Should -Be 'Ingestion'
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML, Get-Help makes the synopsis from the syntax: "Name [-Param] <type> ...".
        $help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
        $help.Synopsis | Should -Not -Match '<CommonParameters>'
    }

    It 'has a description' {
        (Get-Text $help.description).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter with a description, its type, pipeline input and default' {
        $documented = @{}
        foreach ($p in @($help.parameters.parameter)) { $documented[$p.name] = $p }
        $problems = foreach ($parameter in $command.Parameters.Values) {
            if ($script:common -contains $parameter.Name) { continue }
            $doc = $documented[$parameter.Name]
            if (-not $doc) { "-$($parameter.Name) is not in the help"; continue }
            if (-not (Get-Text $doc.description).Trim()) { "-$($parameter.Name) has no description" }
            $type = $parameter.ParameterType
            if ([Nullable]::GetUnderlyingType($type)) { $type = [Nullable]::GetUnderlyingType($type) }
            if ($doc.type.name -ne $type.Name) { "-$($parameter.Name) type '$($doc.type.name)', code '$($type.Name)'" }
            if (-not "$($doc.defaultValue)".Trim()) { "-$($parameter.Name) has no default value (write None)" }
            $byName = @($parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
            $byValue = @($parameter.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
            $pipeline = "$($doc.pipelineInput)"
            if (-not $pipeline) { "-$($parameter.Name) says nothing about pipeline input" }
            if ($byName -ne ($pipeline -match 'ByPropertyName')) { "-$($parameter.Name) pipeline input '$pipeline'; code ByPropertyName=$byName" }
            if ($byValue -ne ($pipeline -match 'ByValue')) { "-$($parameter.Name) pipeline input '$pipeline'; code ByValue=$byValue" }
            $aliases = @($parameter.Aliases | Sort-Object)
            $docAliases = if ($doc.aliases -and $doc.aliases -ne 'none') { @($doc.aliases -split ',\s*' | Sort-Object) } else { @() }
            if (($aliases -join ',') -ne ($docAliases -join ',')) { "-$($parameter.Name) aliases '$($docAliases -join ',')', code '$($aliases -join ',')'" }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'has at least two examples, each with code that runs <Name> and a remark' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Match ([regex]::Escape($Name))
            (Get-Text $example.remarks).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'names its inputs and outputs' {
        @($help.inputTypes.inputType | ForEach-Object { $_.type.name } | Where-Object { $_ }) | Should -Not -BeNullOrEmpty
        $outputs = @($help.returnValues.returnValue | ForEach-Object { $_.type.name } | Where-Object { $_ })
        $outputs | Should -Not -BeNullOrEmpty
        foreach ($type in $command.OutputType) { $outputs | Should -Contain $type.Name }
    }

    It 'has related links to other cmdlets of the module and about_Ingestion' {
        $links = @($help.relatedLinks.navigationLink | ForEach-Object linkText)
        $links | Should -Contain 'about_Ingestion'
        $exported = (Get-Module Ingestion).ExportedCmdlets.Keys
        @($links | Where-Object { $_ -in $exported -and $_ -ne $Name }) | Should -Not -BeNullOrEmpty
        foreach ($link in @($help.relatedLinks.navigationLink)) {
            if ($link.uri) { $link.uri | Should -Match '^https://' }
        }
    }
}

Describe 'Get-Help about_Ingestion' {
    BeforeAll {
        # The text is wrapped at 80 columns: compare with single spaces.
        $about = (Get-Help about_Ingestion | Out-String) -replace '\s+', ' '
    }

    It 'is found as the module''s about topic' {
        $about | Should -Match 'about_Ingestion'
        $about.Length | Should -BeGreaterThan 5000
    }

    It 'explains <Topic>' -ForEach @(
        @{ Topic = 'sessions'; Patterns = @('default session', 'Connect-IngestService', '-Session', 'Disconnect-IngestService') }
        @{ Topic = 'the platforms'; Patterns = @('Adobe Experience Platform', 'Campaign', 'Data Cloud', '-Platform Aep', '-Platform Campaign', '-Platform DataCloud') }
        @{ Topic = 'the emulator'; Patterns = @('Start-IngestEmulator', 'Stop-IngestEmulator', 'emulator', '-Faults') }
        @{ Topic = 'resume journals'; Patterns = @('journal', 'Get-IngestUpload', 'Remove-IngestUpload', 'resume') }
        @{ Topic = 'retries'; Patterns = @('Retry-After', '-MaxRetries', '-RetryDelay', '-TimeoutSec', '429', 'backoff') }
        @{ Topic = 'AEP limits'; Patterns = @('256 MB', '512,000,000', '1500') }
        @{ Topic = 'Data Cloud limits'; Patterns = @('150 MB', '100 files', '5 open', '20 created per rolling hour', '200 KB', '200 ids', '250 requests a second') }
    ) {
        foreach ($pattern in $Patterns) {
            $about | Should -Match ([regex]::Escape($pattern)) -Because "about_Ingestion should explain $Topic"
        }
    }
}
