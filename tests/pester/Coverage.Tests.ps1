#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The gaps the other files leave: binding by property name from Import-Csv rows and from deserialized objects
# (Export-Clixml/Import-Clixml and ConvertTo-Json/ConvertFrom-Json), -WhatIf on the state-changing cmdlets the other
# files do not try it on, and the TargetObject of the error records of common mistakes (BadInput.Tests.ps1 checks
# their ErrorIds and categories). Staged module, real emulator.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $ProgressPreference = 'SilentlyContinue'
    $script:loyaltyCsv = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/loyalty.csv')).Path
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-coverage-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:campaign = $script:emulator | Connect-IngestService -Platform Campaign -Tenant emulator -PassThru
    $script:dataCloud = $script:emulator | Connect-IngestService -Platform DataCloud -PassThru
    $script:aep = $script:emulator | Connect-IngestService -PassThru
    $script:loyaltySchema = 'https://ns.adobe.com/emulator/schemas/demo-loyalty-csv'
    $script:dataset = New-IngestDataset -Name 'Coverage' -SchemaId $script:loyaltySchema

    # Each row is written to CSV and read back with Import-Csv: every value a string, properties only.
    function ConvertTo-CsvRows([object[]] $Rows) {
        $file = Join-Path $TestDrive "rows-$([guid]::NewGuid()).csv"
        $Rows | ForEach-Object { [pscustomobject]$_ } | Export-Csv -LiteralPath $file
        Import-Csv -LiteralPath $file
    }

    # An object as another process would get it back: a Deserialized.* property bag, or a PSCustomObject from JSON.
    function ConvertTo-Deserialized($InputObject, [string] $How) {
        if ($How -eq 'Clixml') {
            $file = Join-Path $TestDrive "object-$([guid]::NewGuid()).xml"
            $InputObject | Export-Clixml -LiteralPath $file
            Import-Clixml -LiteralPath $file
        }
        else {
            $InputObject | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        }
    }

    function New-LoadedBatch {
        $batch = New-IngestBatch -DatasetId $script:dataset.Id -Format Csv
        $null = Send-IngestFile -BatchId $batch.Id -DatasetId $batch.DatasetId -LiteralPath $script:loyaltyCsv
        $batch
    }

    # A session returned with -PassThru is also the default one; after closing such a session, make this file's AEP session the default again.
    function Restore-DefaultSession { $script:aep = $script:emulator | Connect-IngestService -PassThru }

    function Get-FirstError([scriptblock] $Action) {
        try {
            $out = & $Action 2>&1
            @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[0]
        }
        catch { $_ }
    }

    # A second runspace of this process; Stop() there is what Ctrl+C does.
    function Invoke-Nested([string] $Script) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$script:modulePath'; `$ProgressPreference = 'SilentlyContinue'; $Script")
        $ps
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    foreach ($s in $script:campaign, $script:dataCloud) { if ($s) { $s.Dispose() } }
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Binding by property name from Import-Csv rows' {
    It 'New-IngestDataset takes Name, SchemaId and Description' {
        $rows = ConvertTo-CsvRows @(
            @{ Name = 'Csv one'; SchemaId = $loyaltySchema; Description = 'first' }
            @{ Name = 'Csv two'; SchemaId = $loyaltySchema; Description = 'second' })
        $created = $rows | New-IngestDataset
        $created | Should -HaveCount 2
        $created.Name | Should -Be 'Csv one', 'Csv two'
        $created.Description | Should -Be 'first', 'second'
    }

    It 'New-IngestBatch takes DatasetId, and Get-IngestDataset takes DatasetId' {
        $rows = ConvertTo-CsvRows @(@{ DatasetId = $dataset.Id })
        ($rows | New-IngestBatch -Format Csv).DatasetId | Should -Be $dataset.Id
        ($rows | Get-IngestDataset).Id | Should -Be $dataset.Id
    }

    It 'Send-IngestFile takes BatchId, DatasetId and LiteralPath, and Complete-IngestBatch takes Id' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Csv
        $results = ConvertTo-CsvRows @(@{ BatchId = $batch.Id; DatasetId = $dataset.Id; LiteralPath = $loyaltyCsv }) | Send-IngestFile
        $results.BatchId | Should -Be $batch.Id
        $results.Bytes | Should -Be (Get-Item $loyaltyCsv).Length

        $status = ConvertTo-CsvRows @(@{ Id = $batch.Id }) | Complete-IngestBatch -Wait -TimeoutSec 60
        $status.Status | Should -Be 'Active'
    }

    It 'Get-IngestStatus and Get-IngestError take BatchId' {
        'customerId,tier,points', 'C1,gold,lots' | Set-Content -LiteralPath "$TestDrive/points.csv"
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Csv -ErrorDiagnostics
        $null = Send-IngestFile -BatchId $batch.Id -LiteralPath "$TestDrive/points.csv"
        $null = Complete-IngestBatch -BatchId $batch.Id -Wait -TimeoutSec 60 -WarningAction SilentlyContinue
        $rows = ConvertTo-CsvRows @(@{ BatchId = $batch.Id })

        ($rows | Get-IngestStatus).Status | Should -Be 'Failed'
        $errors = $rows | Get-IngestError
        $errors | Should -Not -BeNullOrEmpty
        $errors[0].BatchId | Should -Be $batch.Id
    }

    It 'Stop-IngestBatch and Remove-IngestBatch take BatchId' {
        $loading = New-IngestBatch -DatasetId $dataset.Id -Format Csv
        ConvertTo-CsvRows @(@{ BatchId = $loading.Id }) | Stop-IngestBatch -Confirm:$false
        (Get-IngestStatus -BatchId $loading.Id).Status | Should -Be 'Aborted'

        $active = New-LoadedBatch | Complete-IngestBatch -Wait -TimeoutSec 60
        ConvertTo-CsvRows @(@{ BatchId = $active.Id }) | Remove-IngestBatch -Confirm:$false
        (Get-IngestStatus -BatchId $active.Id).Status | Should -Be 'Inactive'
    }

    # ConvertTo-IngestParquet is left out: it takes piped objects by value as rows to write, so a CSV row is data to it.
    It 'Test-IngestFile, Get-IngestParquetInfo and Import-IngestParquet take LiteralPath' {
        $rows = ConvertTo-CsvRows @(@{ LiteralPath = $loyaltyCsv; DatasetId = $dataset.Id })
        $check = $rows | Test-IngestFile
        $check.Path | Should -Be $loyaltyCsv

        $parquet = Join-Path $TestDrive 'csv-rows.parquet'
        $null = ConvertTo-IngestParquet -LiteralPath $loyaltyCsv -Destination $parquet
        $parquetRows = ConvertTo-CsvRows @(@{ LiteralPath = $parquet })
        ($parquetRows | Get-IngestParquetInfo).Rows | Should -Be 40
        @($parquetRows | Import-IngestParquet -First 3) | Should -HaveCount 3
    }

    It 'Start-XdmMappingIngest takes MappingId' {
        $done = ConvertTo-CsvRows @(@{ MappingId = 'demo-profiles' }) | Start-XdmMappingIngest -Session $campaign -Wait
        $done.MappingId | Should -Be 'demo-profiles'
        $done.Status | Should -Be 'Success'
    }

    It 'New-IngestBatch takes Object, SourceName and Operation; Get-IngestBatch takes no State from piped objects (Data Cloud)' {
        $job = ConvertTo-CsvRows @(@{ Object = 'orders'; SourceName = 'emulator_connector'; Operation = 'Upsert' }) | New-IngestBatch -Session $dataCloud
        $job.Object | Should -Be 'orders'
        $job.State | Should -Be 'Open'
        (Get-IngestBatch -State Open -Session $dataCloud).Id | Should -Contain $job.Id
        # A piped job's own State would list every job in that state.
        { ConvertTo-CsvRows @(@{ State = 'Open' }) | Get-IngestBatch -Session $dataCloud -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound*'
        Stop-IngestBatch -BatchId $job.Id -Session $dataCloud -Confirm:$false
    }

    It 'Remove-IngestRecord takes Id' {
        $out = ConvertTo-CsvRows @(@{ Id = 'O-1' }, @{ Id = 'O-2' }) |
            Remove-IngestRecord -Object orders -SourceName emulator_connector -Session $dataCloud -Confirm:$false -PassThru
        $out.Ids | Should -Be 2
    }

    It 'Get-IngestUpload and Remove-IngestUpload take BatchId' {
        $rows = ConvertTo-CsvRows @(@{ BatchId = 'NOCSVJOURNAL' })
        $rows | Get-IngestUpload | Should -BeNullOrEmpty
        $record = Get-FirstError { $rows | Remove-IngestUpload -Confirm:$false }
        $record.FullyQualifiedErrorId | Should -Be 'UploadJournalNotFound,Ingestion.PowerShell.Commands.RemoveIngestUploadCommand'
        $record.TargetObject | Should -Be 'NOCSVJOURNAL'
    }

    It 'Connect-IngestService takes its settings, and Stop-IngestEmulator takes ProcessId and DataDirectory' {
        $otherDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-coverage-csv-$([guid]::NewGuid())"
        $other = Start-IngestEmulator -DataDirectory $otherDir
        try {
            $row = ConvertTo-CsvRows @(@{ Endpoint = $other.Endpoint; ClientId = $other.ClientId; OrganizationId = $other.OrganizationId; Sandbox = $other.Sandbox; MaxRetries = '2' })
            $session = $row | Connect-IngestService -ClientSecret $other.ClientSecret -PassThru
            try {
                $session.OrganizationId | Should -Be $other.OrganizationId
                Get-IngestDataset -Session $session | Should -BeNullOrEmpty
            }
            finally { $session.Dispose(); Restore-DefaultSession }

            ConvertTo-CsvRows @(@{ ProcessId = $other.ProcessId; DataDirectory = $other.DataDirectory }) | Stop-IngestEmulator -Confirm:$false
            Get-Process -Id $other.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally {
            $other | Stop-IngestEmulator -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            Remove-Item -LiteralPath $otherDir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Binding by property name from deserialized objects (<How>)' -ForEach @(@{ How = 'Clixml' }, @{ How = 'Json' }) {
    It 'New-IngestDataset output binds to New-IngestBatch' {
        $created = New-IngestDataset -Name "Deserialized $How" -SchemaId $loyaltySchema
        $batch = ConvertTo-Deserialized $created $How | New-IngestBatch -Format Csv
        $batch.DatasetId | Should -Be $created.Id
    }

    It 'New-IngestBatch output binds to Send-IngestFile, whose -PassThru status binds to Complete-IngestBatch' {
        $batch = ConvertTo-Deserialized (New-IngestBatch -DatasetId $dataset.Id -Format Csv) $How
        $results = $batch | Send-IngestFile -LiteralPath $loyaltyCsv
        $results.BatchId | Should -Be $batch.Id
        $results.DatasetId | Should -Be $dataset.Id

        $status = ConvertTo-Deserialized (Get-IngestStatus -BatchId $batch.Id) $How | Complete-IngestBatch -Wait -TimeoutSec 60
        $status.Status | Should -Be 'Active'
    }

    It 'New-IngestBatch output binds to Get-IngestStatus and Stop-IngestBatch' {
        $batch = ConvertTo-Deserialized (New-IngestBatch -DatasetId $dataset.Id -Format Csv) $How
        ($batch | Get-IngestStatus).Id | Should -Be $batch.Id
        $batch | Stop-IngestBatch -Confirm:$false
        (Get-IngestStatus -BatchId $batch.Id).Status | Should -Be 'Aborted'
    }

    It 'Start-XdmMappingIngest output binds to Get-IngestStatus' {
        $request = ConvertTo-Deserialized (Start-XdmMappingIngest -MappingId demo-profiles -Session $campaign) $How
        $done = $request | Get-IngestStatus -Session $campaign -Wait -TimeoutSec 60
        $done.MappingId | Should -Be 'demo-profiles'
        $done.RequestId | Should -Be $request.RequestId
        $done.Status | Should -Be 'Success'
    }

    It 'a Data Cloud job binds to Send-IngestFile and Complete-IngestBatch' {
        'order_id,customer_id,amount,currency,created', 'O-9,C-9,1.5,EUR,2024-06-01T10:00:00.000Z' | Set-Content -LiteralPath "$TestDrive/orders-$How.csv"
        $job = ConvertTo-Deserialized (New-IngestBatch -Object orders -SourceName emulator_connector -Session $dataCloud) $How
        $sent = $job | Send-IngestFile -LiteralPath "$TestDrive/orders-$How.csv" -Session $dataCloud
        $sent.BatchId | Should -Be $job.Id
        $done = $job | Complete-IngestBatch -Session $dataCloud -Wait -TimeoutSec 60
        $done.State | Should -Be 'JobComplete'
    }

    It 'Get-IngestUpload output binds to Remove-IngestUpload' {
        $previousXdg = $env:XDG_DATA_HOME
        $xdg = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-coverage-journals-$([guid]::NewGuid())"
        if ($IsLinux) { $env:XDG_DATA_HOME = $xdg }
        try {
            $big = Join-Path $TestDrive 'big.bin'
            $bytes = [byte[]]::new(512KB)
            [Random]::new(11).NextBytes($bytes)
            [IO.File]::WriteAllBytes($big, $bytes)
            $batch = New-IngestBatch -DatasetId $dataset.Id -Format Parquet
            $ps = Invoke-Nested "Send-IngestFile -LiteralPath '$big' -Name 'big.parquet' -BatchId '$($batch.Id)' -DatasetId '$($batch.DatasetId)' -ChunkThreshold 0 -ChunkSize 1024 -ThrottleLimit 1"
            try {
                $null = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not (Get-IngestUpload -BatchId $batch.Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $ps.Stop()
            }
            finally { $ps.Dispose() }
            Start-Sleep -Milliseconds 500

            $journal = ConvertTo-Deserialized (Get-IngestUpload -BatchId $batch.Id) $How
            $journal | Should -Not -BeNullOrEmpty
            $removed = $journal | Remove-IngestUpload -Confirm:$false -PassThru
            $removed.BatchId | Should -Be $batch.Id
            $removed.RemoteName | Should -Be 'big.parquet'
            Get-IngestUpload -BatchId $batch.Id | Should -BeNullOrEmpty
        }
        finally {
            $env:XDG_DATA_HOME = $previousXdg
            Remove-Item -LiteralPath $xdg -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'Start-IngestEmulator output binds to Connect-IngestService and Stop-IngestEmulator' -Skip:($How -eq 'Json') {
        # JSON cannot carry the SecureString client secret; Clixml can.
        $otherDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-coverage-xml-$([guid]::NewGuid())"
        $other = Start-IngestEmulator -DataDirectory $otherDir
        try {
            $copy = ConvertTo-Deserialized $other $How
            $session = $copy | Connect-IngestService -PassThru
            try { Get-IngestDataset -Session $session | Should -BeNullOrEmpty }
            finally { $session.Dispose(); Restore-DefaultSession }
            $copy | Stop-IngestEmulator -Confirm:$false
            Get-Process -Id $other.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally {
            $other | Stop-IngestEmulator -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            Remove-Item -LiteralPath $otherDir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe '-WhatIf changes nothing' {
    It 'Complete-IngestBatch leaves the batch loading' {
        $batch = New-LoadedBatch
        $batch | Complete-IngestBatch -WhatIf | Should -BeNullOrEmpty
        (Get-IngestStatus -BatchId $batch.Id).Status | Should -Be 'Loading'
    }

    It 'Stop-IngestBatch leaves the batch loading' {
        $batch = New-LoadedBatch
        $batch | Stop-IngestBatch -WhatIf
        (Get-IngestStatus -BatchId $batch.Id).Status | Should -Be 'Loading'
    }

    It 'Remove-IngestBatch leaves the batch active' {
        $batch = New-LoadedBatch | Complete-IngestBatch -Wait -TimeoutSec 60
        $batch | Remove-IngestBatch -WhatIf
        (Get-IngestStatus -BatchId $batch.Id).Status | Should -Be 'Active'
    }

    It 'New-IngestDataset creates no dataset' {
        New-IngestDataset -Name 'Never created' -SchemaId $loyaltySchema -WhatIf | Should -BeNullOrEmpty
        Get-IngestDataset -Name 'Never created' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Start-IngestEmulator starts nothing' {
        $otherDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-coverage-whatif-$([guid]::NewGuid())"
        Start-IngestEmulator -DataDirectory $otherDir -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $otherDir 'emulator.lock.json') | Should -BeFalse
        Remove-Item -LiteralPath $otherDir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'Stop-IngestEmulator leaves the emulator running' {
        $emulator | Stop-IngestEmulator -WhatIf
        Get-Process -Id $emulator.ProcessId -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        Get-IngestDataset -DatasetId $dataset.Id | Should -Not -BeNullOrEmpty
    }
}

Describe 'Error records of common mistakes name their target' {
    It '<Case>' -ForEach @(
        @{ Case = 'a batch that does not exist'; Action = { Get-IngestStatus -BatchId NOSUCHBATCH }; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Target = { 'NOSUCHBATCH' } }
        @{ Case = 'a dataset that does not exist'; Action = { Get-IngestDataset -DatasetId 0123456789abcdef01234567 }; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Target = { '0123456789abcdef01234567' } }
        @{ Case = 'a wildcard that matches no file'; Action = { New-IngestBatch -DatasetId $dataset.Id -Format Csv | Send-IngestFile -Path ./no-such-*.csv }; ErrorId = 'PathNotFound'; Category = 'ObjectNotFound'; Target = { './no-such-*.csv' } }
        @{ Case = 'a literal path that does not exist'; Action = { New-IngestBatch -DatasetId $dataset.Id -Format Csv | Send-IngestFile -LiteralPath ./no-such.csv }; ErrorId = 'PathNotFound'; Category = 'ObjectNotFound'; Target = { './no-such.csv' } }
        @{ Case = 'completing an aborted batch'; Action = { $b = New-IngestBatch -DatasetId $dataset.Id -Format Csv; $b | Stop-IngestBatch -Confirm:$false; $script:lastBatch = $b.Id; Complete-IngestBatch -BatchId $b.Id }; ErrorId = 'InvalidState'; Category = 'InvalidOperation'; Target = { $script:lastBatch } }
        @{ Case = '-MultiLineJson for a CSV batch'; Action = { New-IngestBatch -DatasetId $dataset.Id -Format Csv -MultiLineJson }; ErrorId = 'MultiLineJsonNeedsJson'; Category = 'InvalidArgument'; Target = { 'Csv' } }
        @{ Case = '-Name for several files'; Action = { New-IngestBatch -DatasetId $dataset.Id -Format Csv | Send-IngestFile -Path (Join-Path (Split-Path $loyaltyCsv) '*.*') -Name one.csv }; ErrorId = 'NameNeedsSingleFile'; Category = 'InvalidArgument'; Target = { 'one.csv' } }
        @{ Case = 'a file that is not Parquet'; Action = { Get-IngestParquetInfo -LiteralPath $loyaltyCsv }; ErrorId = 'InvalidData'; Category = 'InvalidData'; Target = { $loyaltyCsv } }
        @{ Case = 'an upload journal that does not exist'; Action = { Remove-IngestUpload -BatchId NOSUCHBATCH -Confirm:$false }; ErrorId = 'UploadJournalNotFound'; Category = 'ObjectNotFound'; Target = { 'NOSUCHBATCH' } }
        @{ Case = 'Get-IngestBatch on an AEP session'; Action = { Get-IngestBatch -Session $aep }; ErrorId = 'NotDataCloudSession'; Category = 'ConnectionError'; Target = { $aep } }
        @{ Case = 'Start-XdmMappingIngest on a session without -Tenant'; Action = { Start-XdmMappingIngest -MappingId demo-profiles -Session $aep }; ErrorId = 'NoCampaignTenant'; Category = 'ConnectionError'; Target = { $aep } }
    ) {
        $record = Get-FirstError $Action
        $record | Should -Not -BeNullOrEmpty -Because "$Case must be an error"
        ($record.FullyQualifiedErrorId -split ',')[0] | Should -Be $ErrorId
        $record.CategoryInfo.Category | Should -Be $Category
        $expected = & $Target
        if ($expected -is [string]) { "$($record.TargetObject)" | Should -Be $expected }
        else { [object]::ReferenceEquals($record.TargetObject, $expected) | Should -BeTrue -Because 'the target is the session used' }
        $record.CategoryInfo.TargetName | Should -Not -BeNullOrEmpty
    }
}
