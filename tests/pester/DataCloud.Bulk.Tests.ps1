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
