#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The help examples, run. Every example of every exported cmdlet, as Get-Help shows it (the compiled MAML of the
# staged module), runs in a child pwsh of its own against a fresh emulator, except the few listed in $NotRunnable
# with the reason (they need a real organization or a secret typed at a prompt); an example listed in
# $ExpectedErrors shows that error on purpose and passes when it writes that error and no other.
#
# The prepared context of each example: an empty working folder holding a copy of the repository's samples/ folder,
# so "./samples/loyalty.csv" resolves as it does from the repository root, without writing into the repository;
# ./exports/ with two Latin-1 customer CSV files (Send-IngestFile's Data Cloud example); XDG_DATA_HOME and TMPDIR
# pointing into that folder, so the default emulator data directory and the upload journals are new and private to
# the example; $ConfirmPreference 'None' and -NonInteractive, as in a script. An example passes when it throws
# nothing and writes no error record; its output is formatted with Out-String, so its views run too. Each child
# stops every emulator the example started, whichever data directory it used.

BeforeDiscovery {
    $modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $modulePath -Force

    # Cmdlet#Example → why it cannot run here.
    $NotRunnable = @{
        'Connect-IngestService#3' = 'connects to a real Adobe organization with a secret read from the console'
        'Connect-IngestService#5' = 'connects to a real Adobe organization and Campaign instance with a secret read from the console'
        'Connect-IngestService#8' = 'logs in to a real Data Cloud org with a certificate file'
    }
    # Cmdlet#Example → the ErrorId it shows on purpose in a fresh context; any other error still fails it.
    $ExpectedErrors = @{
        'Remove-IngestUpload#1' = 'UploadJournalNotFound'
    }

    $script:examples = foreach ($name in ((Get-Module Ingestion).ExportedCmdlets.Keys | Sort-Object)) {
        $number = 0
        foreach ($example in @((Get-Help $name -Full).examples.example)) {
            $number++
            $title = ($example.title -replace '^-+\s*|\s*-+$', '')
            @{ Name = $name; Number = $number; Title = $title; Code = $example.code; Key = "$name#$number"; Skip = $NotRunnable["$name#$number"]; ExpectedError = $ExpectedErrors["$name#$number"] }
        }
    }
}

Describe 'Help examples' -ForEach @(@{ All = $script:examples }) {
    BeforeAll {
        $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
        $script:modulePath = (Resolve-Path $script:modulePath).Path
        $script:samples = (Resolve-Path (Join-Path $PSScriptRoot '../../samples')).Path
        # pwsh may be a dotnet tool: its process is dotnet, running pwsh.dll.
        $script:pwsh = (Get-Process -Id $PID).Path
        $script:pwshArgs = if ((Split-Path -Leaf $script:pwsh) -match '^dotnet(\.exe)?$') { @([Environment]::GetCommandLineArgs()[0]) } else { @() }
        $script:root = Join-Path ([IO.Path]::GetTempPath()) "ingestion-examples-$([guid]::NewGuid())"
        $null = New-Item -ItemType Directory -Path $script:root

        # Runs in the child: the example, then every emulator it left running is stopped.
        $script:runner = @'
param($CodeFile, $ModulePath)
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$code = Get-Content -Raw -LiteralPath $CodeFile
$failed = $false
try {
    $output = & ([scriptblock]::Create($code)) 2>&1
    foreach ($item in @($output)) {
        if ($item -is [System.Management.Automation.ErrorRecord]) { $failed = $true; "ERROR: $($item.FullyQualifiedErrorId): $item" }
    }
    $null = $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Out-String -Width 200
}
catch {
    $failed = $true
    "THROWN: $($_.FullyQualifiedErrorId): $_"
}
finally {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    $locks = @(Get-ChildItem -LiteralPath $env:XDG_DATA_HOME, $env:TMPDIR, (Get-Location).Path -Recurse -Force -Filter 'emulator.lock.json' -ErrorAction SilentlyContinue)
    foreach ($lock in $locks) { Stop-IngestEmulator -DataDirectory $lock.DirectoryName -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue }
}
if ($failed) { 'RESULT: FAILED' } else { 'RESULT: PASSED' }
'@
        $script:runnerFile = Join-Path $script:root 'run-example.ps1'
        Set-Content -LiteralPath $script:runnerFile -Value $script:runner

        function Start-Example([string] $Key, [string] $Code) {
            $dir = Join-Path $script:root ($Key -replace '[^\w-]', '_')
            $work = Join-Path $dir 'work'
            $null = New-Item -ItemType Directory -Path $work, (Join-Path $dir 'data'), (Join-Path $dir 'tmp'), (Join-Path $work 'exports')
            Copy-Item -LiteralPath $script:samples -Destination (Join-Path $work 'samples') -Recurse
            $latin1 = [System.Text.Encoding]::Latin1
            [IO.File]::WriteAllText((Join-Path $work 'exports/customers-1.csv'), "customer_id,email,first_name,last_name,updated`nC-1,zoe@example.com,Zoë,Müller,2024-06-01T10:00:00.000Z`n", $latin1)
            [IO.File]::WriteAllText((Join-Path $work 'exports/customers-2.csv'), "customer_id,email,first_name,last_name,updated`nC-2,rene@example.com,René,Çelik,2024-06-02T10:00:00.000Z`n", $latin1)
            $codeFile = Join-Path $dir 'example.ps1'
            Set-Content -LiteralPath $codeFile -Value $Code

            $start = [System.Diagnostics.ProcessStartInfo]::new($script:pwsh)
            foreach ($a in @($script:pwshArgs) + @('-NoProfile', '-NonInteractive', '-File', $script:runnerFile, $codeFile, $script:modulePath)) { $start.ArgumentList.Add($a) }
            $start.WorkingDirectory = $work
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.Environment['XDG_DATA_HOME'] = Join-Path $dir 'data'
            $start.Environment['TMPDIR'] = Join-Path $dir 'tmp'
            $process = [System.Diagnostics.Process]::Start($start)
            [pscustomobject]@{
                Key     = $Key
                Process = $process
                Stdout  = $process.StandardOutput.ReadToEndAsync()
                Stderr  = $process.StandardError.ReadToEndAsync()
                Clock   = [System.Diagnostics.Stopwatch]::StartNew()
            }
        }

        # The examples run up to $throttle at a time (each child has its own emulator, folder and port); the Its read the transcripts.
        $throttle = if ($env:INGESTION_EXAMPLE_THROTTLE) { [int]$env:INGESTION_EXAMPLE_THROTTLE } else { [Math]::Max(2, [Math]::Min(4, [Environment]::ProcessorCount)) }
        $timeout = [TimeSpan]::FromSeconds(180)
        $script:transcripts = @{}
        $pending = [System.Collections.Generic.Queue[object]]::new()
        foreach ($example in $All) {
            if (-not $example.Skip) { $pending.Enqueue($example) }
        }
        $running = [System.Collections.Generic.List[object]]::new()
        while ($pending.Count -gt 0 -or $running.Count -gt 0) {
            while ($running.Count -lt $throttle -and $pending.Count -gt 0) {
                $next = $pending.Dequeue()
                $running.Add((Start-Example $next.Key $next.Code))
            }
            foreach ($run in @($running)) {
                if ($run.Process.HasExited) {
                    $run.Process.WaitForExit()
                    $script:transcripts[$run.Key] = "$($run.Stdout.Result)`n$($run.Stderr.Result)".Trim()
                    $null = $running.Remove($run)
                }
                elseif ($run.Clock.Elapsed -gt $timeout) {
                    $run.Process.Kill($true)
                    $script:transcripts[$run.Key] = "TIMEOUT after $($timeout.TotalSeconds) s"
                    $null = $running.Remove($run)
                }
            }
            Start-Sleep -Milliseconds 100
        }
    }

    AfterAll {
        if ($script:root) { Remove-Item -LiteralPath $script:root -Recurse -Force -ErrorAction SilentlyContinue }
    }

    Describe '<Key>: <Title>' -ForEach $All {
        It 'runs against a fresh emulator without an error' -Skip:([bool]$Skip) {
            $transcript = $script:transcripts[$Key]
            if ($ExpectedError) {
                # The example shows an error on purpose: that error, and no other, is written.
                $transcript | Should -Match "ERROR: $ExpectedError," -Because "$Key should show $($ExpectedError):`n$Code`n---`n$transcript"
                ($transcript -split "`n" | Where-Object { $_ -match '^(ERROR|THROWN): ' -and $_ -notmatch "^ERROR: $ExpectedError," }) | Should -BeNullOrEmpty
            }
            else {
                $transcript | Should -Match 'RESULT: PASSED' -Because "$Key should run as written:`n$Code`n---`n$transcript"
            }
        }
    }
}
