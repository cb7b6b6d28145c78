#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README pipeline for real: staged module, emulator process, real HTTP.

BeforeAll {
    $modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $modulePath -Force
    $script:samples = Join-Path $PSScriptRoot '../../samples'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:emulator | Connect-IngestService
    $script:profiles = New-IngestDataset -Name 'Pester profiles' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
    $script:loyalty = New-IngestDataset -Name 'Pester loyalty' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-loyalty-csv'
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The README pipeline' {
    It 'ingests the XDM profiles (multi-line JSON) to active with 14 records' {
        $status = New-IngestBatch -DatasetId $profiles.Id -Format Json -MultiLineJson |
            Send-IngestFile -Path (Join-Path $samples 'profiles.json') -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 60

        $status | Should -HaveCount 1
        $status.GetType().FullName | Should -Be 'Ingestion.Core.Models.IngestStatus'
        $status.Status | Should -Be 'Active'
        $status.IsTerminal | Should -BeTrue
        $status.Records | Should -Be 14
        $status.FailedRecords | Should -BeIn @($null, 0)
        $status.Errors | Should -BeNullOrEmpty
    }

    It 'ingests the flat CSV to active with 40 records' {
        $status = New-IngestBatch -DatasetId $loyalty.Id -Format Csv |
            Send-IngestFile -Path (Join-Path $samples 'loyalty.csv') -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 60

        $status.Status | Should -Be 'Active'
        $status.Records | Should -Be 40
    }

    It 'fails a batch whose JSON array was sent without -MultiLineJson, with errors' {
        $status = New-IngestBatch -DatasetId $profiles.Id -Format Json |
            Send-IngestFile -Path (Join-Path $samples 'profiles.json') -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 60

        $status.Status | Should -BeIn @('Failed', 'Failure')
        $status.Errors | Should -Not -BeNullOrEmpty
    }
}

Describe 'Send-IngestFile' {
    BeforeEach {
        $script:batch = New-IngestBatch -DatasetId $profiles.Id -Format Json -MultiLineJson
    }

    It 'returns one result per file with its remote name and size' {
        $dir = Join-Path $TestDrive 'many'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Copy-Item (Join-Path $samples 'profiles.json') (Join-Path $dir 'a.json')
        Copy-Item (Join-Path $samples 'profiles.json') (Join-Path $dir 'b c.json')

        $results = $batch | Send-IngestFile -Path (Join-Path $dir '*.json')

        $results | Should -HaveCount 2
        $results.RemoteName | Sort-Object | Should -Be @('a.json', 'b c.json')
        $results | ForEach-Object { $_.Bytes | Should -Be (Get-Item (Join-Path $samples 'profiles.json')).Length }
        $results.BatchId | Select-Object -Unique | Should -Be $batch.Id
    }

    It 'emits the batch once with -PassThru, however many files it sends' {
        $out = $batch | Send-IngestFile -LiteralPath (Join-Path $samples 'profiles.json'), (Join-Path $samples 'profiles.json') -PassThru
        @($out) | Should -HaveCount 1
        $out.BatchId | Should -Be $batch.Id
    }

    It 'writes a non-terminating error for a wildcard that matches nothing and goes on' {
        $results = $batch | Send-IngestFile -Path (Join-Path $TestDrive 'nothing-*.json'), (Join-Path $samples 'profiles.json') -ErrorVariable errs -ErrorAction SilentlyContinue
        $results | Should -HaveCount 1
        $errs | Should -HaveCount 1
    }

    It 'sends nothing with -WhatIf' {
        $results = $batch | Send-IngestFile -Path (Join-Path $samples 'profiles.json') -WhatIf
        $results | Should -BeNullOrEmpty
        $status = $batch | Complete-IngestBatch -Wait -TimeoutSec 60
        $status.Status | Should -BeIn @('Failed', 'Failure')
    }
}

Describe 'Batch actions' {
    It 'aborts a loading batch and refuses to abort it again' {
        $batch = New-IngestBatch -DatasetId $profiles.Id -Format Json
        $batch | Stop-IngestBatch -Confirm:$false
        (Get-IngestStatus -BatchId $batch.Id).Status | Should -Be 'Aborted'

        { $batch | Stop-IngestBatch -Confirm:$false -ErrorAction Stop } | Should -Throw
    }

    It 'reverts an active batch to inactive' {
        $status = New-IngestBatch -DatasetId $loyalty.Id -Format Csv |
            Send-IngestFile -Path (Join-Path $samples 'loyalty.csv') -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 60
        $status | Remove-IngestBatch -Confirm:$false
        (Get-IngestStatus -BatchId $status.Id).Status | Should -Be 'Inactive'
    }

    It 'creates no batch with -WhatIf' {
        New-IngestBatch -DatasetId $profiles.Id -Format Json -WhatIf | Should -BeNullOrEmpty
    }

    It 'reports an unknown batch as ObjectNotFound' {
        $err = $null
        Get-IngestStatus -BatchId 'NOSUCHBATCH000000000000000' -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'accepts batch ids from the pipeline by value' {
        $batch = New-IngestBatch -DatasetId $profiles.Id -Format Json
        $status = $batch.Id | Get-IngestStatus
        $status.Status | Should -Be 'Loading'
    }
}

Describe 'Datasets' {
    It 'finds the datasets it created by name, with wildcards' {
        $found = Get-IngestDataset -Name 'Pester *'
        $found.Id | Should -Contain $profiles.Id
        $found.Id | Should -Contain $loyalty.Id
    }

    It 'gets a dataset by id' {
        (Get-IngestDataset -Id $profiles.Id).SchemaId | Should -Be 'https://ns.adobe.com/emulator/schemas/demo-profile'
    }
}
