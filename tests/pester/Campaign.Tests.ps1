#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Campaign Standard XDM mapping ingestion against the staged module and a real emulator, using the emulator's
# built-in tenant 'emulator' and its mappings demo-profiles, demo-not-stopped, demo-not-published, demo-db-failure,
# demo-upload-failure and demo-aborted. The 'through the emulator' contexts need the emulator's Campaign routes.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-campaign-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:campaign = $script:emulator | Connect-IngestService -Platform Campaign -Tenant emulator -PassThru
    $script:aep = $script:emulator | Connect-IngestService -PassThru
    $script:both = $script:emulator | Connect-IngestService -Tenant emulator -PassThru
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    foreach ($s in @($script:campaign, $script:aep, $script:both)) { if ($s) { $s.Dispose() } }
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Connect-IngestService -Platform Campaign' {
    It 'connects with the tenant only, on the emulator endpoint' {
        $campaign.Platform | Should -Be 'Campaign'
        $campaign.CampaignTenant | Should -Be 'emulator'
        $campaign.CampaignEndpoint | Should -Be $emulator.Endpoint
    }

    It 'serves both platforms from one session with -Platform Aep -Tenant' {
        $both.Platform | Should -Be 'Aep'
        $both.CampaignTenant | Should -Be 'emulator'
        $both.OrganizationId | Should -Be $emulator.OrganizationId
    }

    It 'refuses -Platform Campaign without -Tenant' {
        { $emulator | Connect-IngestService -Platform Campaign -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatformParameters,Ingestion.PowerShell.Commands.ConnectIngestServiceCommand'
    }

    It 'keeps an -OrganizationId and -Sandbox typed with -Platform Campaign: the session serves both' {
        $typed = $emulator | Connect-IngestService -Platform Campaign -Tenant emulator -OrganizationId $emulator.OrganizationId -Sandbox $emulator.Sandbox -PassThru
        try {
            $typed.Platform | Should -Be 'Aep'
            $typed.OrganizationId | Should -Be $emulator.OrganizationId
            $typed.Sandbox | Should -Be $emulator.Sandbox
            $typed.CampaignTenant | Should -Be 'emulator'
            { Get-IngestDataset -Session $typed -ErrorAction Stop } | Should -Not -Throw
        }
        finally { $typed.Dispose() }
    }

    It 'refuses -Platform Campaign with only one of -OrganizationId and -Sandbox typed' {
        { Connect-IngestService -Platform Campaign -Tenant emulator -OrganizationId $emulator.OrganizationId -ClientId $emulator.ClientId -ClientSecret $emulator.ClientSecret -Endpoint $emulator.Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatformParameters,Ingestion.PowerShell.Commands.ConnectIngestServiceCommand'
    }

    It 'stops an AEP command on a Campaign-only session once, before any request, with NotAepSession' {
        $err = $null
        $out = $null
        try { $out = 'a', 'b', 'c' | Get-IngestStatus -Session $campaign -ErrorVariable err }
        catch { $caught = $_ }
        $out | Should -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be 'NotAepSession,Ingestion.PowerShell.Commands.GetIngestStatusCommand'
        $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
        $caught.TargetObject | Should -Be $campaign
        $caught.ErrorDetails.RecommendedAction | Should -Match '-Platform Aep'
        @($err) | Should -HaveCount 1 -Because 'the command stops at the first input instead of failing once per input'
        { Get-IngestDataset -Session $campaign -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotAepSession,Ingestion.PowerShell.Commands.GetIngestDatasetCommand'
    }

    It 'refuses -Platform Aep without an organization and sandbox' {
        { Connect-IngestService -ClientId $emulator.ClientId -ClientSecret $emulator.ClientSecret -Endpoint $emulator.Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatformParameters,Ingestion.PowerShell.Commands.ConnectIngestServiceCommand'
    }
}

Describe 'Start-XdmMappingIngest without the service' {
    It 'asks nothing of Campaign with -WhatIf' {
        $out = 'demo-profiles', 'demo-not-stopped' | Start-XdmMappingIngest -Session $campaign -WhatIf
        $out | Should -BeNullOrEmpty
    }

    It 'refuses a mapping id the trigger would refuse before -WhatIf offers it' {
        $err = $null
        $out = Start-XdmMappingIngest -MappingId 'a/b' -Session $campaign -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,Ingestion.PowerShell.Commands.StartXdmMappingIngestCommand'
    }

    It 'warns that -TimeoutSec does nothing without -Wait' {
        $warned = $null
        $null = Start-XdmMappingIngest -MappingId demo-profiles -TimeoutSec 5 -Session $campaign -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match '-TimeoutSec only limits -Wait'
    }

    It 'stops with NoCampaignTenant on a session without -Tenant' {
        { Start-XdmMappingIngest -MappingId demo-profiles -Session $aep -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoCampaignTenant,Ingestion.PowerShell.Commands.StartXdmMappingIngestCommand'
    }
}

Describe 'Get-IngestStatus parameter sets' {
    It 'binds an XdmIngestRequest to the Mapping set (MappingId, RequestId), never to -BatchId' {
        # The engine lives in a private AssemblyLoadContext, out of reach of type literals: take the type from the cmdlet that writes it.
        $type = (Get-Command Start-XdmMappingIngest).OutputType[0].Type
        $request = @{ MappingId = 'demo-profiles'; RequestId = 1; Status = 'Submitted' } -as $type
        $request.GetType().FullName | Should -Be 'Ingestion.Core.Models.XdmIngestRequest'
        # The Mapping set needs a Campaign tenant: NoCampaignTenant proves the set, where the batch set would say NotFound.
        { $request | Get-IngestStatus -Session $aep -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoCampaignTenant,Ingestion.PowerShell.Commands.GetIngestStatusCommand'
    }

    It 'binds a CSV row with MappingId and RequestId to the Mapping set' {
        $row = 'MappingId,RequestId', 'demo-profiles,3' | ConvertFrom-Csv
        { $row | Get-IngestStatus -Session $aep -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoCampaignTenant,Ingestion.PowerShell.Commands.GetIngestStatusCommand'
    }

    It 'still binds batches and batch statuses to the batch set' {
        $dataset = New-IngestDataset -Name 'Campaign binding' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-loyalty-csv' -Session $aep
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Csv -Session $aep
        $status = $batch | Get-IngestStatus -Session $aep
        $status.GetType().FullName | Should -Be 'Ingestion.Core.Models.IngestStatus'
        $status.Id | Should -Be $batch.Id
        ($status | Get-IngestStatus -Session $aep).Id | Should -Be $batch.Id
        ($batch.Id | Get-IngestStatus -Session $aep).Id | Should -Be $batch.Id
    }
}

Describe 'Start-XdmMappingIngest through the emulator' {
    It 'ingests demo-profiles with -Wait and returns the terminal status' {
        $result = Start-XdmMappingIngest -MappingId demo-profiles -Wait -TimeoutSec 60 -Session $campaign
        $result.GetType().FullName | Should -Be 'Ingestion.Core.Models.XdmIngestRequest'
        $result.Status | Should -Be 'Success'
        $result.IsTerminal | Should -BeTrue
        $result.NumRecords | Should -Be 14
        $result.MappingId | Should -Be 'demo-profiles'
        $result.RequestId | Should -BeGreaterThan 0
    }

    It 'returns the submitted request without -Wait, and Get-IngestStatus -Wait follows it by property name' {
        $submitted = Start-XdmMappingIngest -MappingId demo-profiles -Session $campaign -WarningVariable warned -WarningAction SilentlyContinue
        $submitted.Status | Should -BeIn 'Submitted', 'InProgress'
        $final = $submitted | Get-IngestStatus -Wait -TimeoutSec 60 -Session $campaign
        $final.Status | Should -Be 'Success'
        $final.RequestId | Should -Be $submitted.RequestId
    }

    It 'returns a running request with a warning instead of triggering a second one' {
        $first = Start-XdmMappingIngest -MappingId demo-profiles -Session $campaign -WarningAction SilentlyContinue
        $second = Start-XdmMappingIngest -MappingId demo-profiles -Session $campaign -WarningVariable warned -WarningAction SilentlyContinue
        $second.Status | Should -Be 'InProgress'
        $second.RequestId | Should -Be $first.RequestId
        "$warned" | Should -Match 'already in progress'
        $null = $first | Get-IngestStatus -Wait -TimeoutSec 60 -Session $campaign
    }

    It 'refuses a mapping that is not stopped with MappingNotReady and says what to do in Campaign' {
        $err = $null
        Start-XdmMappingIngest -MappingId demo-not-stopped -Session $campaign -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'MappingNotReady,Ingestion.PowerShell.Commands.StartXdmMappingIngestCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Status of data export to platform'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'stop the mapping'
    }

    It 'refuses a mapping that is not published, saying to publish it first' {
        $err = $null
        Start-XdmMappingIngest -MappingId demo-not-published -Session $campaign -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'MappingNotReady,Ingestion.PowerShell.Commands.StartXdmMappingIngestCommand'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'publish'
    }

    It 'goes on with the next mapping after a refused one' {
        $out = 'demo-not-stopped', 'demo-profiles' | Start-XdmMappingIngest -Wait -TimeoutSec 60 -Session $campaign -ErrorAction SilentlyContinue
        @($out) | Should -HaveCount 1
        $out.MappingId | Should -Be 'demo-profiles'
    }

    It 'reports an unknown mapping as NotFound' {
        { Start-XdmMappingIngest -MappingId no-such-mapping -Session $campaign -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotFound,Ingestion.PowerShell.Commands.StartXdmMappingIngestCommand'
    }

    It 'returns an upload failure as output with its ACP code, batch and a warning' {
        $result = Start-XdmMappingIngest -MappingId demo-upload-failure -Wait -TimeoutSec 60 -Session $campaign -WarningVariable warned -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $result.ErrorCode | Should -Be 'ACP-880096'
        $result.AepBatchId | Should -Not -BeNullOrEmpty
        "$warned" | Should -Match 'ACP-880096'
        "$warned" | Should -Match ([regex]::Escape($result.AepBatchId))
    }

    It 'names the tenant and URL in the ShouldProcess target and writes the request id as verbose' {
        $lines = Start-XdmMappingIngest -MappingId demo-db-failure -Session $campaign -Verbose -WarningAction SilentlyContinue 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $target = "XDM mapping 'demo-db-failure' on Campaign tenant 'emulator' (POST $($emulator.Endpoint)emulator/campaign/dataIngestion/xdmIngestion/demo-db-failure/ingest)"
        ($lines -join "`n") | Should -Match ([regex]::Escape($target))
        ($lines -join "`n") | Should -Match "ingestion request \d+ \((Submitted|InProgress)\); follow it with Get-IngestStatus -MappingId demo-db-failure -RequestId \d+"
    }

    It 'leaves the failed AEP batch in Catalog, where a session that serves both can follow it' {
        $result = Start-XdmMappingIngest -MappingId demo-upload-failure -Wait -TimeoutSec 60 -Session $both -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match ([regex]::Escape("Get-IngestStatus -BatchId $($result.AepBatchId)"))
        "$warned" | Should -Match 'session that serves Experience Platform'
        $batch = Get-IngestStatus -BatchId $result.AepBatchId -Session $both
        "$($batch.Status)" | Should -Be 'Failed'
        @($batch.Errors).Count | Should -BeGreaterThan 0
        "$($batch.Errors[0])" | Should -Match 'ACP-880096'
    }

    It 'returns a database failure without a batch' {
        $result = Start-XdmMappingIngest -MappingId demo-db-failure -Wait -TimeoutSec 60 -Session $campaign -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $result.ErrorCode | Should -Be 'ACP-880056'
        $result.AepBatchId | Should -BeNullOrEmpty
    }

    It 'returns an aborted request with a warning to submit a new one' {
        $result = Start-XdmMappingIngest -MappingId demo-aborted -Wait -TimeoutSec 60 -Session $campaign -WarningVariable warned -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Aborted'
        "$warned" | Should -Match 'Start-XdmMappingIngest'
        "$warned" | Should -Match '[.!?] Submit a new request' -Because 'the info and the advice are separate sentences'
    }

    It 'works on a session that serves both platforms' {
        (Start-XdmMappingIngest -MappingId demo-profiles -Wait -TimeoutSec 60 -Session $both).Status | Should -Be 'Success'
    }

    It 'shows the request in the module table view' {
        $text = Start-XdmMappingIngest -MappingId demo-db-failure -Wait -TimeoutSec 60 -Session $campaign -WarningAction SilentlyContinue | Format-Table | Out-String
        $text | Should -Match 'MappingId\s+RequestId\s+Status\s+NumRecords\s+ErrorCode\s+AepBatchId'
        $text | Should -Match 'ACP-880056'
    }

    It 'shows the whole ACP code and the AEP batch in the table, and every field in the list view' {
        $result = Start-XdmMappingIngest -MappingId demo-upload-failure -Wait -TimeoutSec 60 -Session $campaign -WarningAction SilentlyContinue
        $table = $result | Format-Table | Out-String -Width 250
        $table | Should -Match 'ACP-880096'
        $table | Should -Match ([regex]::Escape($result.AepBatchId))
        $list = $result | Format-List | Out-String -Width 250
        foreach ($label in 'Tenant', 'MappingId', 'RequestId', 'Status', 'NumRecords', 'ErrorCode', 'AepBatchId', 'Info') {
            $list | Should -Match "(?m)^$label\s*:"
        }
    }

    It 'shows the Campaign tenant and endpoint in the session table' {
        $text = $campaign | Format-Table | Out-String -Width 250
        $text | Should -Match 'CampaignTenant'
        $text | Should -Match '\bemulator\b'
        $text | Should -Match ([regex]::Escape("$($campaign.CampaignEndpoint)"))
    }
}
