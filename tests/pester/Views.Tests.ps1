#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The default views of Ingestion.format.ps1xml on real objects from the staged module and a real emulator: short
# tables whose sizes and durations read like "10.8 KB" and "35 ms", list views for the wide types, and nothing taken
# off the objects themselves.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:samples = Join-Path $PSScriptRoot '../../samples'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-views-$([guid]::NewGuid())"
    $script:files = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-views-files-$([guid]::NewGuid())"
    $null = New-Item -ItemType Directory -Path $script:files
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:session = $script:emulator | Connect-IngestService -PassThru
    $script:dataset = New-IngestDataset -Name 'View tests' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'

    # A size the way the module prints it (1 decimal, binary units, current culture's decimal mark).
    $script:sizePattern = '\d+([.,]\d)? (B|KB|MB|GB)'
    $script:durationPattern = '(\d+ ms|\d+[.,]\d s|\d+ min \d+ s|\d+ h \d+ min)'

    # The table as a person sees it: header, rule and rows, trailing blanks trimmed.
    function script:Show($InputObject) {
        ($InputObject | Format-Table | Out-String -Width 200) -split "`r?`n" | ForEach-Object TrimEnd | Where-Object { $_ }
    }

    # The value under a right-aligned column of the first row: its header's rule ends where the value ends.
    function script:Cell([string[]] $Table, [string] $Column) {
        $width = [Math]::Max($Table[1].Length, $Table[2].Length)
        foreach ($run in [regex]::Matches($Table[1], '-+')) {
            if ($Table[0].PadRight($width).Substring($run.Index, $run.Length).Trim() -eq $Column) {
                $end = $run.Index + $run.Length
                $left = $Table[2].Substring(0, [Math]::Min($end, $Table[2].Length))
                # Sizes and durations are at most two words ("10.8 KB", "2 min 5 s" is four): take what the patterns allow.
                $m = [regex]::Match($left, "($script:durationPattern|$script:sizePattern)$")
                if ($m.Success) { return $m.Value }
                return ($left -split ' ')[-1]
            }
        }

        throw "No column $Column in:`n$($Table -join "`n")"
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    foreach ($dir in $script:dataDir, $script:files) {
        if ($dir) { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'Table views' {
    It 'shows an uploaded file (IngestFileResult) with a readable size and duration' {
        $result = New-IngestBatch -DatasetId $script:dataset.Id -Format Json -MultiLineJson |
            Send-IngestFile -LiteralPath (Join-Path $script:samples 'profiles.json')
        $result.GetType().FullName | Should -Be 'Ingestion.Core.Models.IngestFileResult'
        $table = Show $result
        $table[0] | Should -Match '^RemoteName\s+Size\s+Duration\s+BatchId$'
        Cell $table 'Size' | Should -Be ([Ingestion.PowerShell.Runtime.Units]::Bytes($result.Bytes))
        Cell $table 'Size' | Should -Match "^$script:sizePattern$"
        Cell $table 'Size' | Should -Match 'KB$' -Because 'profiles.json is about 11 KB'
        Cell $table 'Duration' | Should -Match "^$script:durationPattern$"
        ($table -join "`n") | Should -Not -Match "\b$($result.Bytes)\b" -Because 'the raw byte count belongs to Format-List'
        # Views only: every property is still on the object.
        $result.Bytes | Should -BeGreaterThan 10000
        $result.Duration | Should -BeOfType [timespan]
    }

    It 'shows a Parquet conversion (ParquetConversionResult) with a readable size and duration' {
        $result = ConvertTo-IngestParquet -LiteralPath (Join-Path $script:samples 'loyalty.csv') -Destination (Join-Path $script:files 'loyalty.parquet')
        $table = Show $result
        $table[0] | Should -Match 'Rows\s+Duration\s+Size'
        Cell $table 'Size' | Should -Be ([Ingestion.PowerShell.Runtime.Units]::Bytes($result.Bytes))
        Cell $table 'Duration' | Should -Match "^$script:durationPattern$"
        $result.RowGroups | Should -BeGreaterThan 0
    }

    It 'shows Parquet file details with readable sizes' {
        $info = Get-IngestParquetInfo -LiteralPath (Join-Path $script:files 'loyalty.parquet')
        Cell (Show $info) 'Size' | Should -Match "^$script:sizePattern$"
        Cell (Show $info.Columns) 'Size' | Should -Match "^$script:sizePattern$"
    }

    It 'shows a streaming send (RecordSendSummary) with a readable size and duration' {
        $dc = $script:emulator | Connect-IngestService -Platform DataCloud -PassThru
        try {
            $records = 1..20 | ForEach-Object {
                [pscustomobject]@{ order_id = "view-$_"; customer_id = "c-$_"; amount = $_ * 1.5; currency = 'EUR'; created = '2026-01-01T00:00:00Z' }
            }
            $summary = $records | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $dc
            $summary.GetType().FullName | Should -Be 'Ingestion.Core.DataCloud.RecordSendSummary'
            $table = Show $summary
            $table[0] | Should -Match '\bSize\b.*\bDuration\b'
            Cell $table 'Size' | Should -Be ([Ingestion.PowerShell.Runtime.Units]::Bytes($summary.Bytes))
            Cell $table 'Duration' | Should -Match "^$script:durationPattern$"
            $summary.Duration | Should -BeOfType [timespan]
        }
        finally {
            Disconnect-IngestService -Session $dc
            $script:session = $script:emulator | Connect-IngestService -PassThru
        }
    }

    It 'keeps to a few columns for <Name>' -ForEach @(
        @{ Name = 'IngestBatch'; Make = { New-IngestBatch -DatasetId $script:dataset.Id -Format Json } }
        @{ Name = 'IngestDataset'; Make = { $script:dataset } }
        @{ Name = 'IngestSession'; Make = { $script:session } }
        @{ Name = 'EmulatorInstance'; Make = { $script:emulator } }
    ) {
        $object = & $Make
        $header = (Show $object)[0]
        @($header -split '\s{1,}' | Where-Object { $_ }).Count | Should -BeLessOrEqual 6
    }
}

Describe 'Reports and errors' {
    It 'shows a -Validate report with every issue in full, one per line, by default' {
        $dc = $script:emulator | Connect-IngestService -Platform DataCloud -PassThru
        try {
            $records = 1..3 | ForEach-Object {
                [pscustomobject]@{ order_id = "bad-$_"; customer_id = "c-$_"; amount = 'not a number'; currency = 'EUR'; created = 'yesterday' }
            }
            $report = $records | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $dc -Validate -WarningAction SilentlyContinue
            $report.GetType().FullName | Should -Be 'Ingestion.Core.DataCloud.RecordValidationReport'
            $report.Issues.Count | Should -BeGreaterThan 2
            $text = $report | Out-String -Width 120
            $text | Should -Match '(?m)^Issues\s*:'
            foreach ($issue in $report.Issues) {
                $text.Contains($issue.ToString()) | Should -BeTrue -Because "the default view shows '$issue' in full"
            }
            $text | Should -Not -Match '…|\.\.\.}' -Because 'nothing is cut off'
            # The table counts them.
            $table = Show $report
            $table[0] | Should -Match 'Issues$'
            Cell $table 'Issues' | Should -Be "$($report.Issues.Count)"
        }
        finally {
            Disconnect-IngestService -Session $dc
            $script:session = $script:emulator | Connect-IngestService -PassThru
        }
    }

    It 'shows a failed file of Get-IngestError as a whole-file row with its message wrapped, not cut' {
        $message = 'The platform lists this file as failed without row-level errors for it (an empty or unreadable file, a header that does not match the schema, or a batch rejected as a whole); Get-IngestStatus shows the batch''s errors.'
        $failed = [Ingestion.Core.Models.BatchRowError]@{ BatchId = 'B1'; File = 'customers.csv'; Message = $message; Source = 'failed' }
        $row = [Ingestion.Core.Models.BatchRowError]@{ BatchId = 'B1'; File = 'orders.csv'; Row = 7; Code = '1401'; Message = 'Corrupted row.'; Source = 'row_errors/parsing_errors_0.json' }
        $lines = ($failed, $row | Format-Table | Out-String -Width 120) -split "`r?`n" | ForEach-Object TrimEnd | Where-Object { $_ }
        $lines[0] | Should -Match '^File\s+Row\s+Code\s+Message$'
        $lines[2] | Should -Match '^customers\.csv\s+file\s+-\s+The platform'
        ($lines | Where-Object { $_.Length -gt 120 }) | Should -BeNullOrEmpty
        # The whole message is on screen, across the wrapped lines (which may break inside a word).
        $shown = ($lines[2..($lines.Count - 2)] | ForEach-Object { $_.Substring([Math]::Min($_.Length, $lines[1].LastIndexOf(' ') + 1)) }) -join ''
        ($shown -replace '\s') | Should -BeExactly ($message -replace '\s')
        $lines[-1] | Should -Match '^orders\.csv\s+7\s+1401\s+Corrupted row\.$'
    }
}

Describe 'List views' {
    It 'shows <Name> as a list with the details a table leaves out' -ForEach @(
        @{ Name = 'IngestSession'; Make = { $script:session }; Expect = 'Connected', 'TokenExpires', 'ClientId' }
        @{ Name = 'EmulatorInstance'; Make = { $script:emulator }; Expect = 'LogPath', 'Version', 'DataDirectory' }
    ) {
        $text = (& $Make) | Format-List | Out-String
        foreach ($label in $Expect) { $text | Should -Match "(?m)^$label\s*:" }
        $text | Should -Not -Match 'ClientSecret' -Because 'the list view shows what a person needs, not the secret'
    }
}
