#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# How the cmdlets behave as PowerShell commands: errors, -WhatIf, progress, Ctrl+C, pipelines. Staged module, real emulator.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:samples = Join-Path $PSScriptRoot '../../samples'
    $script:profilesJson = Join-Path $script:samples 'profiles.json'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-cmdlets-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:emulator | Connect-IngestService
    $script:dataset = New-IngestDataset -Name 'Cmdlet tests' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'

    # A second runspace of this process shares the module's default session; Stop() there is what Ctrl+C does.
    function Invoke-Nested([string] $Script) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$script:modulePath'; $Script")
        $ps
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Sessions' {
    It 'fails with NoSession when nothing is connected' {
        $ps = Invoke-Nested 'Disconnect-IngestService; Get-IngestStatus -BatchId B1'
        try {
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -HaveCount 1
            $ps.Streams.Error[0].FullyQualifiedErrorId | Should -Be 'NoSession,Ingestion.PowerShell.Commands.GetIngestStatusCommand'
        }
        finally {
            $ps.Dispose()
            $script:emulator | Connect-IngestService
        }
    }

    It 'refuses wrong credentials at connect time, keeping the previous default session' {
        $secret = ConvertTo-SecureString 'wrong' -AsPlainText -Force
        { Connect-IngestService -ClientId $emulator.ClientId -ClientSecret $secret -OrganizationId $emulator.OrganizationId -Sandbox prod -Endpoint $emulator.Endpoint } |
            Should -Throw -ErrorId 'AuthenticationFailed,Ingestion.PowerShell.Commands.ConnectIngestServiceCommand'
        Get-IngestDataset -Id $dataset.Id | Should -Not -BeNullOrEmpty
    }

    It 'connects with a PSCredential and returns the session with -PassThru' {
        $credential = [pscredential]::new($emulator.ClientId, $emulator.ClientSecret)
        $session = Connect-IngestService -Credential $credential -OrganizationId $emulator.OrganizationId -Sandbox $emulator.Sandbox -Endpoint $emulator.Endpoint -PassThru
        $session.GetType().FullName | Should -Be 'Ingestion.Core.Sessions.IngestSession'
        (Get-IngestDataset -Id $dataset.Id -Session $session).Id | Should -Be $dataset.Id
    }
}

Describe 'Start-IngestEmulator' {
    It 'returns the running emulator with a warning instead of starting a second one' {
        $again = Start-IngestEmulator -DataDirectory $dataDir -WarningVariable warned -WarningAction SilentlyContinue
        $again.ProcessId | Should -Be $emulator.ProcessId
        $warned | Should -HaveCount 1
    }

    It 'starts an emulator that injects the -Faults asked for, which retries absorb' {
        $flakyDir = Join-Path $TestDrive 'flaky'
        $flaky = Start-IngestEmulator -DataDirectory $flakyDir -Faults 'server-error=0.5,throttle=0.2,retry-after=0,path=/data/foundation/catalog,seed=3'
        try {
            $session = $flaky | Connect-IngestService -MaxRetries 10 -RetryDelay 0.01 -PassThru
            # Catalog reads are safe to repeat, so every one of them gets through.
            1..8 | ForEach-Object { Get-IngestDataset -Session $session -ErrorVariable +failed }
            $failed | Should -BeNullOrEmpty
            $counters = (Invoke-RestMethod -Uri "$($flaky.Endpoint)emulator/faults").counters
            $counters.serverError | Should -BeGreaterThan 0
            $counters.throttle | Should -BeGreaterThan 0
        }
        finally {
            $flaky | Stop-IngestEmulator -Confirm:$false
            # Connecting made the flaky one the default session.
            $script:emulator | Connect-IngestService
        }
    }

    It 'renews a token the service stopped accepting, without the caller noticing' {
        $shortDir = Join-Path $TestDrive 'short-tokens'
        $short = Start-IngestEmulator -DataDirectory $shortDir -Faults 'token-lifetime=1s'
        try {
            $session = $short | Connect-IngestService -PassThru
            $dataset = New-IngestDataset -Name 'expiring' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile' -Session $session
            Start-Sleep -Seconds 2
            $lines = Get-IngestDataset -Id $dataset.Id -Session $session -Verbose 4>&1
            ($lines | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Id | Should -Be $dataset.Id
            @($lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '401' }) | Should -Not -BeNullOrEmpty
        }
        finally {
            $short | Stop-IngestEmulator -Confirm:$false
            $script:emulator | Connect-IngestService
        }
    }

    It 'stops with EmulatorStartFailed naming a -Faults key it does not know' {
        { Start-IngestEmulator -DataDirectory (Join-Path $TestDrive 'bad-faults') -Faults 'server-error=0.1,sever-error=0.2' } |
            Should -Throw -ErrorId 'EmulatorStartFailed,Ingestion.PowerShell.Commands.StartIngestEmulatorCommand' -ExpectedMessage '*sever-error*'
    }
}

Describe 'Stop-IngestEmulator' {
    It 'leaves a -ProcessId alone that the -DataDirectory lock file does not name' {
        $elsewhere = Join-Path $TestDrive 'no-emulator-here'
        $null = New-Item -ItemType Directory -Path $elsewhere
        Stop-IngestEmulator -DataDirectory $elsewhere -ProcessId $emulator.ProcessId -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -HaveCount 1
        Get-Process -Id $emulator.ProcessId -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        Get-IngestDataset -Id $dataset.Id | Should -Not -BeNullOrEmpty
    }
}

Describe 'New-IngestBatch' {
    It 'refuses -MultiLineJson for a CSV batch' {
        { New-IngestBatch -DatasetId $dataset.Id -Format Csv -MultiLineJson } |
            Should -Throw -ErrorId 'MultiLineJsonNeedsJson,Ingestion.PowerShell.Commands.NewIngestBatchCommand'
    }

    It 'takes the dataset id from a dataset object on the pipeline' {
        $batch = $dataset | New-IngestBatch -Format Json
        $batch.DatasetId | Should -Be $dataset.Id
        $batch.GetType().FullName | Should -Be 'Ingestion.Core.Models.IngestBatch'
    }
}

Describe 'Send-IngestFile' {
    BeforeEach {
        $script:batch = New-IngestBatch -DatasetId $dataset.Id -Format Json -MultiLineJson
    }

    It 'uploads under the -Name given, folders included' {
        $result = $batch | Send-IngestFile -LiteralPath $profilesJson -Name 'part=1/people.json'
        $result.RemoteName | Should -Be 'part=1/people.json'
    }

    It 'sends a file above -ChunkThreshold in chunks, byte for byte' {
        $result = $batch | Send-IngestFile -LiteralPath $profilesJson -Name 'chunked.json' -ChunkThreshold 0 -ChunkSize 1024 -ThrottleLimit 2
        $result.Bytes | Should -Be (Get-Item $profilesJson).Length
        $result.RemoteName | Should -Be 'chunked.json'
    }

    It 'refuses a -ChunkSize over the service limit' {
        { $batch | Send-IngestFile -LiteralPath $profilesJson -ChunkSize 512000001 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Ingestion.PowerShell.Commands.SendIngestFileCommand'
    }

    It 'reads the dataset from the batch when -DatasetId is not given, and stops at a batch that does not exist' {
        $result = Send-IngestFile -BatchId $batch.Id -Path $profilesJson -Verbose 4>&1 | Group-Object { $_ -is [System.Management.Automation.VerboseRecord] } -AsHashTable -AsString
        $result['False'].DatasetId | Should -Be $dataset.Id
        @($result['True'] | Where-Object Message -Like "*belongs to dataset '$($dataset.Id)'*") | Should -HaveCount 1
        { Send-IngestFile -BatchId '01M00000000000000000000000' -Path $profilesJson } |
            Should -Throw -ErrorId 'NotFound,Ingestion.PowerShell.Commands.SendIngestFileCommand'
    }

    It 'sends several files at once, up to -ThrottleLimit, and writes their results in input order' {
        $dir = Join-Path $TestDrive 'parallel'
        $null = New-Item -ItemType Directory -Path $dir
        $paths = 1..4 | ForEach-Object { $p = Join-Path $dir "part-$_.json"; Copy-Item -LiteralPath $profilesJson -Destination $p; $p }
        # Each upload into this batch answers after a second: four in a row would take four.
        $faults = @{ slowRate = 1; slowDelaySeconds = 1; pathPrefix = "/data/foundation/import/batches/$($batch.Id)/datasets" } | ConvertTo-Json
        Invoke-RestMethod -Method Put -Uri "$($emulator.Endpoint)emulator/faults" -Body $faults -ContentType 'application/json' | Out-Null
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $results = Send-IngestFile -BatchId $batch.Id -LiteralPath $paths -ThrottleLimit 4
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
            $results.RemoteName | Should -Be @('part-1.json', 'part-2.json', 'part-3.json', 'part-4.json')
        }
        finally {
            Invoke-RestMethod -Method Put -Uri "$($emulator.Endpoint)emulator/faults" -Body '{}' -ContentType 'application/json' | Out-Null
        }
    }

    It 'does not pass on a batch whose dataset lookup failed, so it is not completed without those files' {
        $faults = @{ serverErrorRate = 1; pathPrefix = "/data/foundation/catalog/batches/$($batch.Id)" } | ConvertTo-Json
        Invoke-RestMethod -Method Put -Uri "$($emulator.Endpoint)emulator/faults" -Body $faults -ContentType 'application/json' | Out-Null
        try {
            $once = $emulator | Connect-IngestService -MaxRetries 0 -PassThru
            # The first row's dataset must be looked up (and that fails); the second names it and is sent.
            $rows = [pscustomobject]@{ BatchId = $batch.Id; LiteralPath = $profilesJson },
                [pscustomobject]@{ BatchId = $batch.Id; DatasetId = $batch.DatasetId; LiteralPath = $profilesJson }
            $out = $rows | Send-IngestFile -PassThru -Session $once -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
            $errs | Should -Not -BeNullOrEmpty
            $out | Should -BeNullOrEmpty
            "$warned" | Should -Match $batch.Id
        }
        finally {
            Invoke-RestMethod -Method Put -Uri "$($emulator.Endpoint)emulator/faults" -Body '{}' -ContentType 'application/json' | Out-Null
            $script:emulator | Connect-IngestService
        }
    }

    It 'refuses -Name for several files' {
        { $batch | Send-IngestFile -LiteralPath $profilesJson, $profilesJson -Name 'x.json' } |
            Should -Throw -ErrorId 'NameNeedsSingleFile,Ingestion.PowerShell.Commands.SendIngestFileCommand'
    }

    It 'skips a directory with an error and sends the rest' {
        $results = $batch | Send-IngestFile -Path $samples, $profilesJson -ErrorVariable errs -ErrorAction SilentlyContinue
        $results | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DirectoryNotSupported,*'
    }

    It 'takes files from Get-ChildItem by their PSPath' {
        $results = Get-Item $profilesJson | Send-IngestFile -BatchId $batch.Id -DatasetId $batch.DatasetId
        $results.Path | Should -Be (Get-Item $profilesJson).FullName
    }

    It 'stops at a batch that does not exist instead of failing file after file' {
        { Send-IngestFile -BatchId 'NOSUCHBATCH' -DatasetId $dataset.Id -LiteralPath $profilesJson, $profilesJson } |
            Should -Throw -ErrorId 'NotFound,Ingestion.PowerShell.Commands.SendIngestFileCommand'
    }

    It 'does not pass on a batch one of whose files failed' {
        $out = $batch | Send-IngestFile -Path $profilesJson, (Join-Path $TestDrive 'missing.json') -PassThru -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $warned | Should -HaveCount 1
    }

    It 'writes one parent bar for the call and a bar per file in flight, each ended by a Completed record' {
        $ps = Invoke-Nested "Send-IngestFile -BatchId $($batch.Id) -DatasetId $($batch.DatasetId) -LiteralPath '$profilesJson', '$samples/loyalty.csv' -ThrottleLimit 2"
        try {
            $null = $ps.Invoke()
            $records = @($ps.Streams.Progress)
            $files = $records | Where-Object { $_.ActivityId -ge 47500 -and $_.ActivityId -lt 47700 }
            $files | Should -Not -BeNullOrEmpty
            $files | ForEach-Object { $_.ParentActivityId | Should -Be 47100 }
            @($files | Where-Object RecordType -EQ 'Completed') | Should -HaveCount 2
            @($files | Where-Object RecordType -EQ 'Completed' | ForEach-Object Activity | Sort-Object -Unique) | Should -HaveCount 2
            $parent = @($records | Where-Object ActivityId -EQ 47100)
            $parent[-2].StatusDescription | Should -Match '^2 of 2 file\(s\) done'
            $records[-1].ActivityId | Should -Be 47100
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Complete-IngestBatch' {
    It 'completes a batch once when several objects name it' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Json -MultiLineJson
        $null = $batch | Send-IngestFile -LiteralPath $profilesJson
        $statuses = $batch, $batch.Id, $batch | Complete-IngestBatch -Wait -TimeoutSec 60
        $statuses | Should -HaveCount 1
        $statuses.Status | Should -Be 'Active'
    }

    It 'stops at a batch that does not exist' {
        { 'NOSUCHBATCH' | Complete-IngestBatch -Confirm:$false } |
            Should -Throw -ErrorId 'NotFound,Ingestion.PowerShell.Commands.CompleteIngestBatchCommand'
    }
}

Describe 'Get-IngestStatus -Wait' {
    BeforeAll {
        $script:loading = New-IngestBatch -DatasetId $dataset.Id -Format Json
    }

    It 'ends with WaitTimeout carrying the last status' {
        Get-IngestStatus -BatchId $loading.Id -Wait -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errs[0].TargetObject.Status | Should -Be 'Loading'
    }

    It 'stops promptly when the pipeline is stopped (Ctrl+C)' {
        $ps = Invoke-Nested "Get-IngestStatus -BatchId $($loading.Id) -Wait"
        try {
            $handle = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            @($ps.Streams.Progress | Where-Object ActivityId -EQ 47200) | Should -Not -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Get-IngestDataset' {
    It 'reports an exact name that matches nothing, but not a pattern' {
        Get-IngestDataset -Name 'no such dataset' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DatasetNotFound,*'
        Get-IngestDataset -Name 'no such*' -ErrorVariable none
        $none | Should -BeNullOrEmpty
    }

    It 'gets the dataset of a batch piped to it' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Json
        ($batch | Get-IngestDataset).Id | Should -Be $dataset.Id
    }
}

Describe 'Formatting' {
    It 'shows statuses in the module table view' {
        $text = Get-IngestStatus -BatchId (New-IngestBatch -DatasetId $dataset.Id -Format Json).Id | Format-Table | Out-String
        $text | Should -Match 'Id\s+Status\s+Records\s+FailedRecords\s+Completed'
    }
}

Describe 'Type literals' {
    It 'resolves the engine types by full name, though they live in a private load context' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Json
        $batch | Should -BeOfType ([Ingestion.Core.Models.IngestBatch])
        $batch | Should -BeOfType 'Ingestion.Core.Models.IngestBatch'
        (Get-IngestStatus -BatchId $batch.Id).Status | Should -Be ([Ingestion.Core.Models.BatchStatus]::Loading)
        $typed = { param([Ingestion.Core.Sessions.IngestSession] $Session) $Session.Platform }
        & $typed -Session ($emulator | Connect-IngestService -PassThru) | Should -Be 'Aep'
        [Ingestion.Core.Models.IngestBatch] | Should -Be ((Get-Command New-IngestBatch).OutputType.Type | Where-Object Name -eq 'IngestBatch')
    }
}

Describe 'Resumable uploads' {
    BeforeAll {
        # Journals go to a folder of the test's own (XDG_DATA_HOME is read at each call on Linux); elsewhere the
        # user's folder is used and every check filters by the test's own batch.
        $script:previousXdg = $env:XDG_DATA_HOME
        $script:xdg = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-journals-$([guid]::NewGuid())"
        if ($IsLinux) { $env:XDG_DATA_HOME = $script:xdg }
        $script:big = Join-Path $TestDrive 'big.bin'
        $bytes = [byte[]]::new(1MB)
        [Random]::new(7).NextBytes($bytes)
        [IO.File]::WriteAllBytes($script:big, $bytes)

        # Starts a chunked upload in a nested runspace and stops it (what Ctrl+C does) once its journal exists.
        function Stop-UploadMidway($Batch) {
            $ps = Invoke-Nested "Send-IngestFile -LiteralPath '$big' -Name 'big.parquet' -BatchId '$($Batch.Id)' -DatasetId '$($Batch.DatasetId)' -ChunkThreshold 0 -ChunkSize 1024 -ThrottleLimit 1"
            try {
                $null = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not (Get-IngestUpload -BatchId $Batch.Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Start-Sleep -Milliseconds 300
                $ps.Stop()
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally { $ps.Dispose() }
            # The engine writes the journal a last time as it winds down.
            Start-Sleep -Milliseconds 500
        }
    }

    AfterAll {
        $env:XDG_DATA_HOME = $script:previousXdg
        Remove-Item -LiteralPath $script:xdg -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'lists the journal of an upload stopped mid-way, and the next run completes it and removes the journal' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Parquet
        Stop-UploadMidway $batch

        $journal = Get-IngestUpload -BatchId $batch.Id
        $journal | Should -HaveCount 1
        $journal.PSObject.TypeNames[0] | Should -Be 'Ingestion.Core.Models.UploadJournalInfo'
        $journal.RemoteName | Should -Be 'big.parquet'
        $journal.Path | Should -Be (Get-Item $big).FullName
        $journal.ChunksTotal | Should -Be 1024
        $journal.ChunksConfirmed | Should -BeLessThan 1024
        $journal.ChunksConfirmed | Should -BeGreaterThan 0

        $result = $batch | Send-IngestFile -LiteralPath $big -Name 'big.parquet' -ChunkThreshold 0 -ChunkSize 1024 -ThrottleLimit 8
        $result.Bytes | Should -Be 1MB
        Get-IngestUpload -BatchId $batch.Id | Should -BeNullOrEmpty
        $stored = Join-Path $dataDir "batches/$($batch.Id)/files/$($dataset.Id)/big.parquet"
        (Get-FileHash -LiteralPath $stored).Hash | Should -Be (Get-FileHash -LiteralPath $big).Hash
    }

    It 'resumes piped journals with -Resume, in the chunking they started with, after -WhatIf sent nothing' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Parquet
        Stop-UploadMidway $batch
        $before = (Get-IngestUpload -BatchId $batch.Id).ChunksConfirmed

        Get-IngestUpload -BatchId $batch.Id | Send-IngestFile -Resume -WhatIf
        (Get-IngestUpload -BatchId $batch.Id).ChunksConfirmed | Should -Be $before

        # The run's -ChunkSize default (64 MiB) does not apply: the journal's 1 KiB chunks do.
        $result = Get-IngestUpload -BatchId $batch.Id | Send-IngestFile -Resume -Verbose 4>&1
        $verbose = $result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match "$before of 1024 chunks are already there"
        $file = $result | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $file.RemoteName | Should -Be 'big.parquet'
        $file.BatchId | Should -Be $batch.Id
        Get-IngestUpload -BatchId $batch.Id | Should -BeNullOrEmpty
        $stored = Join-Path $dataDir "batches/$($batch.Id)/files/$($dataset.Id)/big.parquet"
        (Get-FileHash -LiteralPath $stored).Hash | Should -Be (Get-FileHash -LiteralPath $big).Hash
    }

    It 'resumes every unfinished upload of a batch with -Resume -BatchId and passes the batch on' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Parquet
        Stop-UploadMidway $batch

        # The batch as -PassThru hands it to Complete-IngestBatch (the random bytes are no Parquet the service would take).
        $status = Send-IngestFile -Resume -BatchId $batch.Id -PassThru
        $status.Id | Should -Be $batch.Id
        $status.DatasetId | Should -Be $dataset.Id
        $status.Status | Should -Be 'Loading'
        Get-IngestUpload -BatchId $batch.Id | Should -BeNullOrEmpty
    }

    It 'resumes a journal read back from Import-Clixml, and reports one whose file is gone with PathNotFound' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Parquet
        Stop-UploadMidway $batch
        $saved = Join-Path $TestDrive 'journal.clixml'
        Get-IngestUpload -BatchId $batch.Id | Export-Clixml -LiteralPath $saved

        # A moved file: the journal is kept, and the error says how to discard it.
        $full = (Get-Item -LiteralPath $big).FullName
        $moved = Join-Path $TestDrive 'moved.bin'
        Move-Item -LiteralPath $big -Destination $moved
        try {
            Import-Clixml -LiteralPath $saved | Send-IngestFile -Resume -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { Move-Item -LiteralPath $moved -Destination $big }
        $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,Ingestion.PowerShell.Commands.SendIngestFileCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].Exception.Message | Should -BeLike "*$full*Remove-IngestUpload*"
        Get-IngestUpload -BatchId $batch.Id | Should -HaveCount 1

        (Import-Clixml -LiteralPath $saved | Send-IngestFile -Resume).Bytes | Should -Be 1MB
        Get-IngestUpload -BatchId $batch.Id | Should -BeNullOrEmpty
        Import-Clixml -LiteralPath $saved | Send-IngestFile -Resume -ErrorVariable none -ErrorAction SilentlyContinue
        $none[0].FullyQualifiedErrorId | Should -Be 'UploadJournalNotFound,Ingestion.PowerShell.Commands.SendIngestFileCommand'
    }

    It 'removes the journal of an interrupted upload, asking first, and reports one that is not there' {
        $batch = New-IngestBatch -DatasetId $dataset.Id -Format Parquet
        Stop-UploadMidway $batch

        Get-IngestUpload -BatchId $batch.Id | Remove-IngestUpload -WhatIf
        Get-IngestUpload -BatchId $batch.Id | Should -HaveCount 1

        $removed = Get-IngestUpload -BatchId $batch.Id | Remove-IngestUpload -PassThru -Confirm:$false
        $removed.BatchId | Should -Be $batch.Id
        Get-IngestUpload -BatchId $batch.Id | Should -BeNullOrEmpty

        Remove-IngestUpload -BatchId $batch.Id -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'UploadJournalNotFound,Ingestion.PowerShell.Commands.RemoveIngestUploadCommand'
    }
}
