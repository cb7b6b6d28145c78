#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-IngestError and upsert datasets against the staged module and a real emulator.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:samples = Join-Path $PSScriptRoot '../../samples'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-errors-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:emulator | Connect-IngestService
    $script:loyalty = New-IngestDataset -Name 'Error tests' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-loyalty-csv'

    # samples/loyalty.csv with the points (6th column) of its 3rd data row made a word.
    $lines = Get-Content -LiteralPath (Join-Path $script:samples 'loyalty.csv')
    $lines[3] = $lines[3] -replace '^((?:[^,]*,){5})\d+', '${1}many'
    $script:badCsv = Join-Path ([IO.Path]::GetTempPath()) "loyalty-bad-$([guid]::NewGuid()).csv"
    $lines | Set-Content -LiteralPath $script:badCsv
    $script:badRow = $lines[3]

    function Invoke-Batch([string] $DatasetId, [string] $Format, [string] $Path, [switch] $ErrorDiagnostics) {
        New-IngestBatch -DatasetId $DatasetId -Format $Format -ErrorDiagnostics:$ErrorDiagnostics |
            Send-IngestFile -LiteralPath $Path -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 60 -WarningAction SilentlyContinue
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
    if ($script:badCsv) { Remove-Item -LiteralPath $script:badCsv -Force -ErrorAction SilentlyContinue }
}

Describe 'Get-IngestError' {
    Context 'a CSV batch created with -ErrorDiagnostics' {
        BeforeAll {
            $script:status = Invoke-Batch -DatasetId $loyalty.Id -Format Csv -Path $badCsv -ErrorDiagnostics
        }

        It 'failed the batch' {
            $status.Status | Should -Be 'Failed'
        }

        It 'returns the rejected row with its file, row, code, message and record' {
            $errors = @($status | Get-IngestError)
            $errors | Should -HaveCount 1
            $errors[0].GetType().FullName | Should -Be 'Ingestion.Core.Models.BatchRowError'
            $errors[0].BatchId | Should -Be $status.Id
            $errors[0].File | Should -Be (Split-Path -Leaf $badCsv)
            $errors[0].Row | Should -Be 3
            $errors[0].Code | Should -Be '1402'
            $errors[0].Message | Should -Match "'points'.*many"
            $errors[0].Record | Should -Be $badRow
            $errors[0].Source | Should -Be 'row_errors/conversion_errors_0.json'
        }

        It 'shows the errors in the module table view' {
            $text = Get-IngestError -BatchId $status.Id | Format-Table | Out-String
            $text | Should -Match 'File\s+Row\s+Code\s+Message'
        }
    }

    It 'explains multi-line JSON sent without -MultiLineJson' {
        $profiles = New-IngestDataset -Name 'Error tests profiles' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
        $status = Invoke-Batch -DatasetId $profiles.Id -Format Json -Path (Join-Path $samples 'profiles.json') -ErrorDiagnostics
        $error1 = Get-IngestError -BatchId $status.Id
        $error1.File | Should -Be 'profiles.json'
        $error1.Code | Should -Be '1403'
        $error1.Message | Should -Match 'isMultiLineJson'
    }

    It 'says a batch has no diagnostics without -ErrorDiagnostics, and still lists its failed file' {
        $status = Invoke-Batch -DatasetId $loyalty.Id -Format Csv -Path $badCsv
        $files = @(Get-IngestError -BatchId $status.Id -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'DiagnosticsNotEnabled,Ingestion.PowerShell.Commands.GetIngestErrorCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'NotEnabled'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match '-ErrorDiagnostics'
        $files | Should -HaveCount 1
        $files[0].File | Should -Be (Split-Path -Leaf $badCsv)
        $files[0].Source | Should -Be 'failed'
        $files[0].Row | Should -BeNullOrEmpty
    }

    It 'reports a batch that does not exist and goes on with the next id' {
        $status = Get-IngestStatus -BatchId (New-IngestBatch -DatasetId $loyalty.Id -Format Csv -ErrorDiagnostics).Id
        $out = 'NOSUCHBATCH', $status.Id | Get-IngestError -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotFound,*'
    }
}

Describe 'New-IngestDataset -Upsert' {
    It 'tags the dataset for upserts and the service refuses a JSON batch in it' {
        $dataset = New-IngestDataset -Name 'Upserts' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile' -Upsert -Tag @{ owner = 'crm'; unifiedProfile = 'enabled:true' }
        $dataset.IsUpsert | Should -BeTrue
        $dataset.Tags['unifiedProfile'] | Should -Be @('enabled:true', 'isUpsert:true')
        $dataset.Tags['owner'] | Should -Be @('crm')
        New-IngestBatch -DatasetId $dataset.Id -Format Json -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,Ingestion.PowerShell.Commands.NewIngestBatchCommand'
        $errs[0].Exception.Message | Should -Match 'Parquet'
        (New-IngestBatch -DatasetId $dataset.Id -Format Parquet).Status | Should -Be 'Loading'
    }

    It 'refuses an empty tag value' {
        { New-IngestDataset -Name 'x' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile' -Tag @{ owner = '' } } |
            Should -Throw -ErrorId 'InvalidTag,Ingestion.PowerShell.Commands.NewIngestDatasetCommand'
    }
}
