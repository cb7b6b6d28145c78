#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A full Salesforce Data Cloud bulk job against the staged module and a real emulator: JWT login and token exchange,
# New-IngestBatch -Object -SourceName, Send-IngestFile (a CSV, then one split into parts), Complete-IngestBatch -Wait,
# Get-IngestBatch, Remove-IngestBatch, and the errors a script meets. Uses the emulator's built-in source
# 'emulator_connector' and its object 'orders' (order_id, customer_id, amount, currency, created).

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-dc-$([guid]::NewGuid())"
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $script:emulator = Start-IngestEmulator -DataDirectory (Join-Path $script:work 'data')
    $script:session = $script:emulator | Connect-IngestService -Platform DataCloud -PassThru

    function script:New-OrdersCsv([string] $Name, [int] $Rows, [string] $Prefix = 'O') {
        $path = Join-Path $script:work $Name
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.Add('order_id,customer_id,amount,currency,created')
        for ($i = 1; $i -le $Rows; $i++) { $lines.Add("$Prefix-$i,C-$($i % 7),$i.5,EUR,2024-06-01T10:00:00.000Z") }
        [IO.File]::WriteAllLines($path, $lines)
        $path
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:session) { $script:session.Dispose() }
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:work) { Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Connect-IngestService -Platform DataCloud' {
    It 'logs in with the emulator''s consumer key, user and key file, and exchanges the token' {
        $session.Platform | Should -Be 'DataCloud'
        $session.UserName | Should -Be $emulator.UserName
        $session.InstanceUrl | Should -Not -BeNullOrEmpty
        $session.TokenExpires | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
    }

    It 'refuses a key that is not the connected app''s, naming the login step' {
        $other = [System.Security.Cryptography.RSA]::Create(2048)
        $keyPath = Join-Path $work 'other.pem'
        Set-Content -LiteralPath $keyPath -Value $other.ExportPkcs8PrivateKeyPem()
        $err = { Connect-IngestService -Platform DataCloud -ClientId $emulator.ClientId -UserName $emulator.UserName -PrivateKeyPath $keyPath -LoginUrl $emulator.LoginUrl -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuthenticationFailed,Ingestion.PowerShell.Commands.ConnectIngestServiceCommand' -PassThru
        $err.Exception.Message | Should -BeLike 'Salesforce login failed*'
    }

    It 'refuses -Platform DataCloud without a key' {
        { Connect-IngestService -Platform DataCloud -ClientId x -UserName y -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatformParameters,Ingestion.PowerShell.Commands.ConnectIngestServiceCommand'
    }
}

Describe 'A Data Cloud bulk job' {
    It 'runs from New-IngestBatch to Remove-IngestBatch' {
        $csv = New-OrdersCsv -Name 'orders.csv' -Rows 25
        $job = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        $job.GetType().FullName | Should -Be 'Ingestion.Core.DataCloud.DataCloudJob'
        $job.State | Should -Be 'Open'
        $job.Object | Should -Be 'orders'
        $job.SourceName | Should -Be 'emulator_connector'

        $sent = $job | Send-IngestFile -Session $session -Path $csv
        $sent.BatchId | Should -Be $job.Id
        $sent.Parts | Should -Be 1

        $final = $job | Complete-IngestBatch -Session $session -Wait -TimeoutSec 120
        $final.State | Should -Be 'JobComplete'
        $final.IsTerminal | Should -BeTrue

        (Get-IngestStatus -Session $session -BatchId $job.Id).State | Should -Be 'JobComplete'
        (Get-IngestBatch -Session $session -State JobComplete).Id | Should -Contain $job.Id

        $job | Remove-IngestBatch -Session $session -Confirm:$false
        { Get-IngestStatus -Session $session -BatchId $job.Id -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotFound,Ingestion.PowerShell.Commands.GetIngestStatusCommand'
    }

    It 'chains New-IngestBatch | Send-IngestFile -PassThru | Complete-IngestBatch -Wait' {
        $csv = New-OrdersCsv -Name 'chain.csv' -Rows 3 -Prefix 'P'
        $final = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector |
            Send-IngestFile -Session $session -Path $csv -PassThru |
            Complete-IngestBatch -Session $session -Wait -TimeoutSec 120
        $final.State | Should -Be 'JobComplete'
    }

    It 'refuses to remove an open job, naming its state' {
        $job = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        $err = { $job | Remove-IngestBatch -Session $session -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidState,Ingestion.PowerShell.Commands.RemoveIngestBatchCommand' -PassThru
        $err.Exception.Message | Should -BeLike "*'Open'*"
        ($job | Stop-IngestBatch -Session $session -Confirm:$false -PassThru).State | Should -Be 'Aborted'
    }

    It 'refuses a semicolon-separated file before sending it' {
        $path = Join-Path $work 'semicolon.csv'
        Set-Content -LiteralPath $path -Value 'order_id;amount', 'O-1;3'
        $job = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        { $job | Send-IngestFile -Session $session -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidData,Ingestion.PowerShell.Commands.SendIngestFileCommand'
        $job | Stop-IngestBatch -Session $session -Confirm:$false
    }

    It 'writes the jobs it lists as DataCloudJob objects, at most -First' {
        $jobs = @(Get-IngestBatch -Session $session -First 2)
        $jobs.Count | Should -BeLessOrEqual 2
        $jobs | ForEach-Object { $_.GetType().FullName | Should -Be 'Ingestion.Core.DataCloud.DataCloudJob' }
    }

    It 'lists newest first by default, oldest first with -Ascending, and does not bind -State from a piped job' {
        $a = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        Start-Sleep -Milliseconds 20
        $b = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        (Get-IngestBatch -Session $session -State Open -First 1).Id | Should -Be $b.Id
        $ascending = @(Get-IngestBatch -Session $session -State Open -Ascending).Id
        $ascending.IndexOf($a.Id) | Should -BeLessThan $ascending.IndexOf($b.Id)
        { $a | Get-IngestBatch -Session $session -ErrorAction Stop } | Should -Throw
        $a, $b | Stop-IngestBatch -Session $session -Confirm:$false
    }

    It 'says Get-IngestBatch needs a Data Cloud session' {
        $aep = $emulator | Connect-IngestService -PassThru
        try {
            { Get-IngestBatch -Session $aep -ErrorAction Stop } |
                Should -Throw -ErrorId 'NotDataCloudSession,Ingestion.PowerShell.Commands.GetIngestBatchCommand'
        }
        finally {
            $aep.Dispose()
        }
    }
}

Describe 'Data Cloud under 429 answers' {
    It 'backs off and gets every job request and streamed record through' {
        # Seeded: the same requests meet the same 429s on every run.
        $flaky = Start-IngestEmulator -DataDirectory (Join-Path $script:work 'flaky') -Faults 'throttle=0.4,retry-after=0,path=/api/v1/ingest,seed=11'
        try {
            $dc = $flaky | Connect-IngestService -Platform DataCloud -PassThru -MaxRetries 8 -RetryDelay 0.01
            $csv = New-OrdersCsv -Name 'flaky.csv' -Rows 20 -Prefix 'F'
            $job = New-IngestBatch -Object orders -SourceName emulator_connector -Session $dc |
                Send-IngestFile -Path $csv -PassThru -Session $dc |
                Complete-IngestBatch -Wait -TimeoutSec 60 -Session $dc
            $job.State | Should -Be 'JobComplete'
            $records = 1..5 | ForEach-Object { [pscustomobject]@{ order_id = "S-$_"; customer_id = 'C-1'; amount = $_; currency = 'EUR'; created = [datetime]'2024-06-01T10:00:00Z' } }
            $sent = 1..5 | ForEach-Object { $records[$_ - 1] | Send-IngestRecord -Object orders -SourceName emulator_connector -Session $dc }
            ($sent | Measure-Object -Property Records -Sum).Sum | Should -Be 5
            $counters = (Invoke-RestMethod -Uri "$($flaky.Endpoint)emulator/faults").counters
            $counters.throttle | Should -BeGreaterThan 0
        }
        finally { $flaky | Stop-IngestEmulator -Confirm:$false }
    }
}

Describe 'Data Cloud login errors' {
    It 'refuses a wrong consumer key, naming the login step' {
        $err = { Connect-IngestService -Platform DataCloud -ClientId 'not-the-consumer-key' -UserName $emulator.UserName -PrivateKeyPath $emulator.PrivateKeyPath -LoginUrl $emulator.LoginUrl -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuthenticationFailed,Ingestion.PowerShell.Commands.ConnectIngestServiceCommand' -PassThru
        $err.Exception.Message | Should -BeLike 'Salesforce login failed*'
    }

    It 'refuses -PrivateKeyPath and -Certificate together instead of picking one' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=both', $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $cert = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
        $err = { Connect-IngestService -Platform DataCloud -ClientId $emulator.ClientId -UserName $emulator.UserName -PrivateKeyPath $emulator.PrivateKeyPath -Certificate $cert -LoginUrl $emulator.LoginUrl -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*either -PrivateKeyPath or -Certificate*'
    }
}

Describe 'Send-IngestFile to Data Cloud: encodings, failures and full jobs' {
    BeforeEach {
        # Each test starts with none of the emulator's 5 job slots taken by an earlier test.
        Get-IngestBatch -Session $session -State Open | Stop-IngestBatch -Session $session -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'converts a latin1 file with -Encoding, and refuses it without' {
        $path = Join-Path $work 'latin1.csv'
        [IO.File]::WriteAllText($path, "order_id,customer_id,amount,currency,created`nL-1,C-é,1.5,EUR,2024-06-01T10:00:00.000Z`n", [Text.Encoding]::Latin1)
        $job = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        { $job | Send-IngestFile -Session $session -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidData,Ingestion.PowerShell.Commands.SendIngestFileCommand'
        $sent = $job | Send-IngestFile -Session $session -Path $path -Encoding latin1 -WarningVariable warned -WarningAction SilentlyContinue
        $sent.BatchId | Should -Be $job.Id
        ($warned -join "`n") | Should -BeLike '*converted from*'
        ($job | Complete-IngestBatch -Session $session -Wait -TimeoutSec 120).State | Should -Be 'JobComplete'
    }

    It 'holds back with -PassThru a job one of whose files was refused locally' {
        $good = New-OrdersCsv -Name 'held-good.csv' -Rows 2 -Prefix 'H'
        $semi = Join-Path $work 'held-semi.csv'
        Set-Content -LiteralPath $semi -Value 'order_id;customer_id;amount,currency', 'O-1;C;3,EUR'
        $job = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        $out = @($job | Send-IngestFile -Session $session -Path $good, $semi -PassThru -ErrorAction SilentlyContinue -ErrorVariable failed -WarningVariable warned -WarningAction SilentlyContinue)
        $out.Count | Should -Be 0
        $failed.Count | Should -Be 1
        ($warned -join "`n") | Should -BeLike "*$($job.Id)*not passed on*"
        (Get-IngestStatus -Session $session -BatchId $job.Id).State | Should -Be 'Open'
    }

    It 'aborts the job when the service refuses a file, and keeps it open with -KeepOpenOnError' {
        # The first data row passes the local check; the service finds the third row short.
        $bad = Join-Path $work 'short-row.csv'
        Set-Content -LiteralPath $bad -Value 'order_id,customer_id,amount,currency,created', 'K-1,C,1,EUR,2024-06-01T10:00:00.000Z', 'K-2,C'
        $job = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        $job | Send-IngestFile -Session $session -Path $bad -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        (Get-IngestStatus -Session $session -BatchId $job.Id).State | Should -Be 'Aborted'

        $kept = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
        $kept | Send-IngestFile -Session $session -Path $bad -KeepOpenOnError -ErrorAction SilentlyContinue -ErrorVariable failed2
        $failed2.Count | Should -Be 1
        (Get-IngestStatus -Session $session -BatchId $kept.Id).State | Should -Be 'Open'
    }

    Context 'more than 100 files' {
        BeforeAll {
            $script:many = Join-Path $work 'many'
            New-Item -ItemType Directory -Path $script:many | Out-Null
            foreach ($i in 1..102) {
                [IO.File]::WriteAllLines((Join-Path $script:many ('f{0:D3}.csv' -f $i)), [string[]]@('order_id,customer_id,amount,currency,created', "M-$i,C-1,1.5,EUR,2024-06-01T10:00:00.000Z"))
            }
        }

        It 'refuses the files over 100 one by one, keeping the results already produced' {
            $job = New-IngestBatch -Session $session -Object orders -SourceName emulator_connector
            $r = $job | Send-IngestFile -Session $session -Path (Join-Path $many '*.csv') -ErrorAction SilentlyContinue -ErrorVariable failed
            @($r).Count | Should -Be 100
            $failed.Count | Should -Be 2
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'JobFileLimitReached,*'
            (Get-IngestStatus -Session $session -BatchId $job.Id).State | Should -Be 'Open'
        }

        It 'with -AutoSplitJobs -PassThru passes on every job, and Complete-IngestBatch -Wait follows them all' {
            $final = @(New-IngestBatch -Session $session -Object orders -SourceName emulator_connector |
                Send-IngestFile -Session $session -Path (Join-Path $many '*.csv') -AutoSplitJobs -PassThru -WarningAction SilentlyContinue |
                Complete-IngestBatch -Session $session -Wait -TimeoutSec 180)
            $final.Count | Should -Be 2
            $final.State | Should -Be @('JobComplete', 'JobComplete')
            ($final.Id | Select-Object -Unique).Count | Should -Be 2
        }
    }
}
