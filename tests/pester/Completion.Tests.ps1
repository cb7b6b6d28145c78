#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Tab completion of -BatchId, -DatasetId, -Object and -SourceName through TabExpansion2, against the staged module and
# a real emulator. Completion reads the session's history only: the emulator's request log proves a warm completion
# sends nothing.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-completion-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:session = $script:emulator | Connect-IngestService -PassThru
    $script:dataset = New-IngestDataset -Name 'Completion tests' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
    $script:batch = New-IngestBatch -DatasetId $script:dataset.Id -Format Json -MultiLineJson

    function script:Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }

    # Requests the emulator served between two marker requests, read from its log (one line per request).
    function script:Get-RequestsDuring([scriptblock] $Action) {
        $mark = [guid]::NewGuid().ToString('N')
        $null = Invoke-RestMethod "$($script:emulator.Endpoint)emulator/health?mark=start-$mark"
        $null = Wait-LogLine "mark=start-$mark"
        & $Action
        $null = Invoke-RestMethod "$($script:emulator.Endpoint)emulator/health?mark=end-$mark"
        $lines = Wait-LogLine "mark=end-$mark"
        $inside = $false
        foreach ($line in $lines) {
            if ($line.Contains("mark=start-$mark")) { $inside = $true }
            elseif ($line.Contains("mark=end-$mark")) { break }
            elseif ($inside -and $line -match ' -> \d{3} \(') { $line }
        }
    }

    function script:Wait-LogLine([string] $Text) {
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        do {
            $lines = [string[]] @(Get-Content -LiteralPath $script:emulator.LogPath)
            if ($lines | Where-Object { $_.Contains($Text) }) { return , $lines }
            Start-Sleep -Milliseconds 100
        } while ([datetime]::UtcNow -lt $deadline)

        throw "The emulator log never showed $Text."
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe '-BatchId completion' {
    It 'offers the batch this session created, with its status and dataset as tooltip' {
        $matches = Complete 'Send-IngestFile -BatchId '
        $match = $matches | Where-Object CompletionText -eq $script:batch.Id
        $match | Should -HaveCount 1
        $match.ResultType | Should -Be ([System.Management.Automation.CompletionResultType]::ParameterValue)
        $match.ListItemText | Should -Be $script:batch.Id
        $match.ToolTip | Should -Match 'loading'
        $match.ToolTip | Should -Match $script:dataset.Id
    }

    It 'offers the newest batch first' {
        $newer = New-IngestBatch -DatasetId $script:dataset.Id -Format Json
        (Complete 'Complete-IngestBatch -BatchId ')[0].CompletionText | Should -Be $newer.Id
        $newer | Stop-IngestBatch -Confirm:$false
    }

    It 'matches what was typed as a prefix, case-insensitively, and wildcards too' {
        $prefix = $script:batch.Id.Substring(0, 6)
        (Complete "Get-IngestStatus -BatchId $($prefix.ToLowerInvariant())").CompletionText | Should -Contain $script:batch.Id
        (Complete "Get-IngestStatus -BatchId '$prefix").CompletionText | Should -Contain $script:batch.Id
        (Complete "Get-IngestStatus -BatchId *$($script:batch.Id.Substring(8))").CompletionText | Should -Contain $script:batch.Id
        Complete 'Get-IngestStatus -BatchId zzz-no-such-batch' | Should -BeNullOrEmpty
    }

    It 'lists recent batches once, in the background from Connect-IngestService, then sends no request, however often it is asked' {
        $listing = Get-RequestsDuring {
            $script:fresh = $script:emulator | Connect-IngestService -PassThru
            # The first Tab of the new session waits briefly for that listing: the batch another session made is offered.
            $script:first = Complete 'Send-IngestFile -BatchId '
        }
        $script:first.CompletionText | Should -Contain $script:batch.Id -Because 'the first Tab gets the listing Connect-IngestService started'
        @($listing | Where-Object { $_ -match 'GET /data/foundation/catalog/batches\?' }) | Should -HaveCount 1 -Because 'a cold cache is filled by one listing of recent batches'
        $script:fresh.History.ListFetches('Batch') | Should -Be 1
        $requests = Get-RequestsDuring {
            foreach ($i in 1..10) { $null = Complete 'Send-IngestFile -BatchId ' }
        }
        $requests | Should -BeNullOrEmpty -Because 'completion reads the session history'
        $script:fresh.History.ListFetches('Batch') | Should -Be 1
        # The detector itself sees a command's request.
        Get-RequestsDuring { $null = Get-IngestStatus -BatchId $script:batch.Id } | Should -Match "GET /data/foundation/catalog/batches/$($script:batch.Id)"
    }

    It 'starts the listings when connecting, without waiting for them and without a Tab' {
        $fresh = $script:emulator | Connect-IngestService -PassThru
        $fresh.History.ListFetches('Batch') | Should -Be 1 -Because 'Connect-IngestService started it'
        $fresh.History.DatasetListFetches | Should -Be 1
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        while (-not ($fresh.History.Candidates('Batch').Id -contains $script:batch.Id) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $fresh.History.Candidates('Batch').Id | Should -Contain $script:batch.Id
        $fresh.History.Datasets().Id | Should -Contain $script:dataset.Id
    }

    It 'starts no listing on a session that was disconnected' {
        $fresh = $script:emulator | Connect-IngestService -PassThru
        Disconnect-IngestService -Session $fresh
        $fresh.RefreshDatasetHistory() | Should -BeNullOrEmpty
        $fresh.History.ListFetches('Batch') | Should -Be 1
        $script:session = $script:emulator | Connect-IngestService -PassThru
    }

    It 'uses the session named on the line with -Session, else the default one' {
        $global:IngestCompletionSession = $script:session
        # A Data Cloud default session knows jobs, not this AEP batch.
        $other = $script:emulator | Connect-IngestService -Platform DataCloud -PassThru
        try {
            (Complete 'Get-IngestStatus -BatchId ').CompletionText | Should -Not -Contain $script:batch.Id
            (Complete 'Get-IngestStatus -Session $IngestCompletionSession -BatchId ').CompletionText | Should -Contain $script:batch.Id
        }
        finally {
            Remove-Variable -Name IngestCompletionSession -Scope Global
            $script:session = $script:emulator | Connect-IngestService -PassThru
        }
    }
}

Describe '-DatasetId completion' {
    It 'offers datasets this session created, named in the tooltip' {
        # The default session may have been replaced by an earlier test: make the dataset with the current one.
        $dataset = New-IngestDataset -Name 'Completion datasets' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
        $match = Complete 'New-IngestBatch -DatasetId ' | Where-Object CompletionText -eq $dataset.Id
        $match | Should -HaveCount 1
        $match.ToolTip | Should -Match 'Completion datasets'
    }

    It 'lists the Catalog once in the background from Connect-IngestService; the first Tab offers its datasets, later ones send nothing' {
        # A dataset this session never saw, made by another connection: only the Catalog listing knows it.
        $other = $script:emulator | Connect-IngestService -PassThru
        $foreign = New-IngestDataset -Session $other -Name 'Made elsewhere' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'

        $listing = Get-RequestsDuring {
            $script:fresh = $script:emulator | Connect-IngestService -PassThru
            $script:first = Complete 'Get-IngestDataset -DatasetId '
        }
        ($script:first | Where-Object CompletionText -eq $foreign.Id).ToolTip | Should -Match 'Made elsewhere' -Because 'the first Tab waits briefly for the listing Connect-IngestService started'
        $script:fresh.History.DatasetListFetches | Should -Be 1
        @($listing | Where-Object { $_ -match 'GET /data/foundation/catalog/dataSets\?' }) | Should -HaveCount 1 -Because 'a cold cache is filled by one Catalog listing'

        $requests = Get-RequestsDuring {
            foreach ($i in 1..10) { $script:second = Complete 'Get-IngestDataset -DatasetId ' }
        }
        $requests | Should -BeNullOrEmpty
        $script:fresh.History.DatasetListFetches | Should -Be 1
        ($script:second | Where-Object CompletionText -eq $foreign.Id).ToolTip | Should -Match 'Made elsewhere'
        $other | Disconnect-IngestService -ErrorAction SilentlyContinue
        $script:session = $script:emulator | Connect-IngestService -PassThru
    }
}

Describe '-Object and -SourceName completion' {
    BeforeAll {
        $script:dc = $script:emulator | Connect-IngestService -Platform DataCloud -PassThru
        $script:job = New-IngestBatch -Object orders -SourceName emulator_connector
    }

    AfterAll {
        $script:job | Stop-IngestBatch -Confirm:$false -ErrorAction SilentlyContinue
        $script:session = $script:emulator | Connect-IngestService -PassThru
    }

    It 'offers the object and source of the job this session created' {
        (Complete 'Send-IngestRecord -Object ').CompletionText | Should -Contain 'orders'
        (Complete 'Send-IngestRecord -Object ord').CompletionText | Should -Contain 'orders'
        (Complete 'Remove-IngestRecord -SourceName emu').CompletionText | Should -Contain 'emulator_connector'
        (Complete 'Send-IngestRecord -Object ' | Where-Object CompletionText -eq 'orders').ToolTip | Should -Match 'emulator_connector'
    }

    It 'offers the job as a -BatchId' {
        (Complete 'Get-IngestStatus -BatchId ').CompletionText | Should -Contain $script:job.Id
    }
}

Describe '-MappingId completion' {
    It 'offers the Campaign mapping this session started, with the request status' {
        $campaign = $script:emulator | Connect-IngestService -Platform Campaign -Tenant emulator -PassThru
        try {
            $request = Start-XdmMappingIngest -MappingId demo-profiles -Session $campaign
            $match = Complete 'Get-IngestStatus -MappingId demo' | Where-Object CompletionText -eq 'demo-profiles'
            $match | Should -HaveCount 1
            $match.ToolTip | Should -Match "request $($request.RequestId)"
        }
        finally {
            $script:session = $script:emulator | Connect-IngestService -PassThru
        }
    }
}

Describe '-RequestId completion' {
    It 'offers the requests this session started, only those of the -MappingId on the line, and mappings refused as not ready' {
        $campaign = $script:emulator | Connect-IngestService -Platform Campaign -Tenant emulator -PassThru
        try {
            $profiles = Start-XdmMappingIngest -MappingId demo-profiles -Session $campaign -WarningAction SilentlyContinue
            $failure = Start-XdmMappingIngest -MappingId demo-db-failure -Session $campaign -WarningAction SilentlyContinue
            $all = (Complete 'Get-IngestStatus -MappingId x -RequestId ').CompletionText
            $all | Should -BeNullOrEmpty -Because 'no request of mapping x was seen'
            $mine = Complete 'Get-IngestStatus -MappingId demo-profiles -RequestId '
            $mine.CompletionText | Should -Contain "$($profiles.RequestId)"
            $mine.CompletionText | Should -Not -Contain "$($failure.RequestId)"
            ($mine | Where-Object CompletionText -eq "$($profiles.RequestId)").ToolTip | Should -Match 'demo-profiles'
            (Complete 'Get-IngestStatus -RequestId ').CompletionText | Should -Contain "$($failure.RequestId)"

            Start-XdmMappingIngest -MappingId demo-not-stopped -Session $campaign -ErrorAction SilentlyContinue
            (Complete 'Start-XdmMappingIngest -MappingId demo-not').CompletionText | Should -Contain 'demo-not-stopped'
        }
        finally {
            $script:session = $script:emulator | Connect-IngestService -PassThru
        }
    }
}

Describe 'Quoting' {
    It 'quotes an id that PowerShell would otherwise split, and leaves plain ids bare' {
        # The engine's types live in the module's private load context, where type literals do not reach:
        # take HistoryEntry from the completer's signature.
        $entryType = [Ingestion.PowerShell.Completion.HistoryCompleter].GetMethod('Complete').GetParameters()[0].ParameterType.GetGenericArguments()[0]
        $entries = [Array]::CreateInstance($entryType, 3)
        $entries[0] = $entryType::new('my source', 'x', [datetimeoffset]::UtcNow)
        $entries[1] = $entryType::new("it's", $null, [datetimeoffset]::UtcNow)
        $entries[2] = $entryType::new('plain_id', $null, [datetimeoffset]::UtcNow)
        $results = @([Ingestion.PowerShell.Completion.HistoryCompleter]::Complete($entries, ''))
        $results.CompletionText | Should -Be "'my source'", "'it''s'", 'plain_id'
        $results[0].ListItemText | Should -Be 'my source'
        @([Ingestion.PowerShell.Completion.HistoryCompleter]::Complete($entries, "'my")).CompletionText | Should -Be "'my source'"
    }
}
