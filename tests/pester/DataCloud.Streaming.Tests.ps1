#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Data Cloud streaming ingestion (Send-IngestRecord, Remove-IngestRecord) against the staged module and a real emulator,
# using the emulator's built-in source 'emulator_connector' and its object 'orders' (order_id pk, customer_id,
# amount, currency, created). Needs the emulator's Data Cloud routes and Connect-IngestService -Platform DataCloud.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-dc-stream-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:session = $script:emulator | Connect-IngestService -Platform DataCloud -PassThru
    $script:recordsUri = "$($script:emulator.Endpoint)emulator/datacloud/emulator_connector/orders/records"

    # The emulator's stored orders, whatever the list's envelope ({"data":[...]}, {"records":[...]} or a bare array).
    function script:Get-StoredOrders {
        $answer = Invoke-RestMethod -Uri $script:recordsUri
        foreach ($name in 'data', 'records') {
            if ($answer.PSObject.Properties[$name]) { return @($answer.$name) }
        }

        @($answer)
    }

    # Streaming is processed asynchronously: waits until the orders with the given ids are stored (or gone).
    function script:Wait-Orders([string[]] $Id, [switch] $Gone, [int] $TimeoutSec = 60) {
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec)
        do {
            $stored = @(Get-StoredOrders | Where-Object order_id -in $Id)
            if ((-not $Gone -and $stored.Count -eq $Id.Count) -or ($Gone -and $stored.Count -eq 0)) { return $stored }
            Start-Sleep -Milliseconds 500
        } while ([datetime]::UtcNow -lt $deadline)

        $stored
    }

    function script:New-Order([int] $N) {
        [pscustomobject]@{
            order_id    = "pester-$N"
            customer_id = "c-$($N % 7)"
            amount      = [decimal]$N + 0.5
            currency    = 'EUR'
            created     = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc)
        }
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:session) { $script:session.Dispose() }
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Send-IngestRecord' {
    It 'streams PSCustomObjects and writes one summary' {
        $summary = 1..500 | ForEach-Object { New-Order $_ } |
            Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session
        $summary | Should -HaveCount 1
        $summary.GetType().FullName | Should -Be 'Ingestion.Core.DataCloud.RecordSendSummary'
        $summary.Records | Should -Be 500
        $summary.FailedRecords | Should -Be 0
        $summary.Requests | Should -BeGreaterOrEqual 1
        $summary.Bytes | Should -BeGreaterThan 0
        $summary.Object | Should -Be 'orders'
        $summary.SourceName | Should -Be 'emulator_connector'
    }

    It 'stores the records in the emulator with typed values and UTC date-times' {
        $stored = Wait-Orders -Id 'pester-1', 'pester-500'
        $stored | Should -HaveCount 2
        $one = $stored | Where-Object order_id -EQ 'pester-1'
        $one.customer_id | Should -Be 'c-1'
        [decimal]$one.amount | Should -Be 1.5
        # ConvertFrom-Json turns ISO 8601 text into a DateTime.
        if ($one.created -is [datetime]) {
            $one.created.ToUniversalTime() | Should -Be ([datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc))
        }
        else {
            $one.created | Should -Be '2026-01-02T03:04:05.000Z'
        }
    }

    It 'packs a large input into several requests under 200 KB' {
        $rows = 1..3000 | ForEach-Object {
            [pscustomobject]@{ order_id = "bulk-$_"; customer_id = 'c-1'; amount = $_; currency = 'EUR'; created = '2026-01-01T00:00:00.000Z'; note = 'x' * 200 }
        }
        $summary = $rows | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session -ThrottleLimit 2
        $summary.Records | Should -Be 3000
        $summary.Requests | Should -BeGreaterThan 3
        ($summary.Bytes / $summary.Requests) | Should -BeLessThan 204800
    }

    It 'streams rows of Import-Csv' {
        $csv = Join-Path $TestDrive 'orders.csv'
        1..20 | ForEach-Object { [pscustomobject]@{ order_id = "csv-$_"; customer_id = 'c-2'; amount = "$_.25"; currency = 'USD'; created = '2026-03-01T10:00:00.000Z' } } |
            Export-Csv -LiteralPath $csv -NoTypeInformation
        $summary = Import-Csv -LiteralPath $csv | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session
        $summary.Records | Should -Be 20
        Wait-Orders -Id 'csv-1', 'csv-20' | Should -HaveCount 2
    }

    It 'reports a record too large by its index and sends the others' {
        $records = @(
            New-Order 9001
            [pscustomobject]@{ order_id = 'huge'; note = 'x' * 250KB }
            New-Order 9002
        )
        $summary = $records | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RecordTooLarge,*'
        $errs[0].Exception.Message | Should -BeLike "*Record 1 ('huge')*"
        $summary.Records | Should -Be 2
        $summary.FailedRecords | Should -Be 1
    }

    It 'reports an object without properties as NotARecord' {
        $summary = 'just text' | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotARecord,*'
        $summary.FailedRecords | Should -Be 1
    }

    It 'sends nothing with -WhatIf' {
        $out = 1..3 | ForEach-Object { New-Order (700 + $_) } |
            Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session -WhatIf
        $out | Should -BeNullOrEmpty
        Start-Sleep -Seconds 1
        @(Get-StoredOrders | Where-Object order_id -EQ 'pester-701') | Should -HaveCount 0
    }

    It 'names the request''s records when the object does not exist' {
        { New-Order 1 | Send-IngestRecord -Object no_such_object -SourceName emulator_connector -Session $session -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*records 0-0*'
    }
}

Describe 'Send-IngestRecord -Validate' {
    It 'returns a valid report for good records and stores nothing' {
        $report = New-Order 8001 | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session -Validate
        $report.GetType().FullName | Should -Be 'Ingestion.Core.DataCloud.RecordValidationReport'
        $report.IsValid | Should -BeTrue
        $report.Records | Should -Be 1
        Start-Sleep -Seconds 1
        @(Get-StoredOrders | Where-Object order_id -EQ 'pester-8001') | Should -HaveCount 0
    }

    It 'reports a bad record by index' {
        $records = @(
            New-Order 8002
            [pscustomobject]@{ order_id = 'bad-1'; customer_id = 'c-1'; amount = 'not a number'; currency = 'EUR'; created = 'yesterday' }
        )
        $report = $records | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session -Validate -WarningAction SilentlyContinue
        $report.IsValid | Should -BeFalse
        $report.Issues.Count | Should -BeGreaterThan 0
        ($report.Issues | Where-Object Index -NE $null | Select-Object -First 1).Index | Should -Be 1
    }
}

Describe 'Remove-IngestRecord' {
    BeforeAll {
        $script:ids = 1..450 | ForEach-Object { "del-$_" }
        $null = $script:ids | ForEach-Object { [pscustomobject]@{ order_id = $_; customer_id = 'c-9'; amount = 1; currency = 'EUR'; created = '2026-01-01T00:00:00.000Z' } } |
            Send-IngestRecord -Object orders -SourceName emulator_connector -Session $session
        $null = Wait-Orders -Id 'del-1', 'del-450'
    }

    It 'deletes nothing with -WhatIf' {
        $out = $ids | Remove-IngestRecord -Object orders -SourceName emulator_connector -Session $session -WhatIf -PassThru
        $out | Should -BeNullOrEmpty
        @(Get-StoredOrders | Where-Object order_id -EQ 'del-1') | Should -HaveCount 1
    }

    It 'writes nothing without -PassThru' {
        $out = Remove-IngestRecord -Object orders -SourceName emulator_connector -Id 'del-450' -Session $session -Confirm:$false
        $out | Should -BeNullOrEmpty
        Wait-Orders -Id 'del-450' -Gone | Should -HaveCount 0
    }

    It 'deletes in requests of 200 ids' {
        $summary = $ids[0..448] | Remove-IngestRecord -Object orders -SourceName emulator_connector -Session $session -Confirm:$false -PassThru
        $summary.GetType().FullName | Should -Be 'Ingestion.Core.DataCloud.RecordDeleteSummary'
        $summary.Ids | Should -Be 449
        $summary.Requests | Should -Be 3
        Wait-Orders -Id 'del-1', 'del-200', 'del-449' -Gone | Should -HaveCount 0
    }

    It 'binds Id by property name' {
        $summary = [pscustomobject]@{ Id = 'pester-2' } |
            Remove-IngestRecord -Object orders -SourceName emulator_connector -Session $session -Confirm:$false -PassThru
        $summary.Ids | Should -Be 1
    }
}
