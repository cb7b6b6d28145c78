#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A full run with -Verbose -Debug, every stream, the error records, the session object and the upload journals on
# disk, scanned for the client secret and the access tokens. Staged module, real emulator.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:samples = Join-Path $PSScriptRoot '../../samples'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-secrets-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:emulator | Connect-IngestService

    # Journals go to a folder of the test's own (XDG_DATA_HOME is read at each call on Linux).
    $script:previousXdg = $env:XDG_DATA_HOME
    $script:xdg = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-secrets-journals-$([guid]::NewGuid())"
    $env:XDG_DATA_HOME = $script:xdg

    $script:plainSecret = [Net.NetworkCredential]::new('', $script:emulator.ClientSecret).Password
    # 64 base64url characters, not all hex (SHA-256 hashes in journals are 64 hex digits).
    $script:tokenShape = '(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]{0,63}[g-zG-Z_-])[A-Za-z0-9_-]{64}(?![A-Za-z0-9_-])'
    $script:wrongSecret = 'wrong-' + [guid]::NewGuid().ToString('N')

    # The IMS endpoint, asked directly with the same credentials: shows what a token looks like.
    function Get-Token {
        $body = @{ client_id = $emulator.ClientId; client_secret = $plainSecret; grant_type = 'client_credentials'; scope = 'openid,AdobeID,read_organizations' }
        (Invoke-RestMethod -Method Post -Uri ([Uri]::new($emulator.Endpoint, 'ims/token/v3')) -Body $body).access_token
    }

    # The token a session holds, read the way only a test may: through private fields.
    function Get-SessionToken($Session) {
        $flags = [Reflection.BindingFlags]'NonPublic, Instance'
        $provider = $Session.GetType().GetField('tokens', $flags).GetValue($Session)
        $token = $provider.GetType().GetField('current', $flags).GetValue($provider)
        $token.GetType().GetProperty('Value').GetValue($token)
    }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    $env:XDG_DATA_HOME = $script:previousXdg
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    foreach ($dir in $script:dataDir, $script:xdg) {
        if ($dir) { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'Secrets scan' {
    BeforeAll {
        $script:directTokens = @(Get-Token; Get-Token)
        $script:sessionTokens = [Collections.Generic.List[string]]::new()
        $big = Join-Path $TestDrive 'big.parquet'
        $bytes = [byte[]]::new(1MB)
        [Random]::new(11).NextBytes($bytes)
        [IO.File]::WriteAllBytes($big, $bytes)
        $closed = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $closed.Start()
        $closedPort = $closed.LocalEndpoint.Port
        $closed.Stop()

        $Error.Clear()
        $script:streams = & {
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $InformationPreference = 'Continue'
            $WarningPreference = 'Continue'
            $ErrorActionPreference = 'Continue'
            $common = @{ OrganizationId = $emulator.OrganizationId; Sandbox = $emulator.Sandbox; Endpoint = $emulator.Endpoint; Verbose = $true; Debug = $true }

            $viaSecret = Connect-IngestService -ClientId $emulator.ClientId -ClientSecret $emulator.ClientSecret @common -PassThru
            $viaSecret
            $viaSecret.ToString()
            $viaSecret | Format-List * -Force | Out-String
            $viaCredential = Connect-IngestService -Credential ([pscredential]::new($emulator.ClientId, $emulator.ClientSecret)) @common -PassThru
            $viaCredential | Format-List * -Force | Out-String
            $sessionTokens.Add((Get-SessionToken $viaSecret))
            $sessionTokens.Add((Get-SessionToken $viaCredential))

            $dataset = New-IngestDataset -Name 'Secrets' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile' -Verbose -Debug
            $batch = New-IngestBatch -DatasetId $dataset.Id -Format Json -MultiLineJson -ErrorDiagnostics -Verbose -Debug
            $batch | Send-IngestFile -LiteralPath (Join-Path $samples 'profiles.json') -ChunkThreshold 0 -ChunkSize 1024 -Verbose -Debug
            $status = $batch | Complete-IngestBatch -Wait -TimeoutSec 60 -Verbose -Debug
            $status | Format-List * -Force | Out-String
            Get-IngestStatus -BatchId $batch.Id -Verbose -Debug | Format-List * -Force | Out-String
            Get-IngestError -BatchId $batch.Id -Verbose -Debug

            # Failing calls: a batch that is not there, wrong credentials, and an IMS that is retried and never answers.
            Get-IngestStatus -BatchId 'NOSUCHBATCH' -Verbose -Debug
            try { Connect-IngestService -ClientId $emulator.ClientId -ClientSecret (ConvertTo-SecureString $wrongSecret -AsPlainText -Force) @common } catch { $_ }
            $unreachable = @{ Endpoint = "http://127.0.0.1:$closedPort/"; MaxRetries = 2; RetryDelay = [timespan]::FromMilliseconds(10) }
            try { Connect-IngestService -ClientId $emulator.ClientId -ClientSecret $emulator.ClientSecret -OrganizationId $emulator.OrganizationId -Sandbox prod @unreachable -Verbose -Debug } catch { $_ }

            # An upload stopped mid-way leaves its journal on disk.
            $chunked = New-IngestBatch -DatasetId $dataset.Id -Format Parquet
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$modulePath'; Send-IngestFile -LiteralPath '$big' -BatchId '$($chunked.Id)' -DatasetId '$($dataset.Id)' -ChunkThreshold 0 -ChunkSize 1024 -ThrottleLimit 1 -Verbose -Debug")
            try {
                $null = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not (Get-IngestUpload -BatchId $chunked.Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Start-Sleep -Milliseconds 300
                $ps.Stop()
                $ps.Streams.Verbose; $ps.Streams.Debug; $ps.Streams.Error; $ps.Streams.Warning
            }
            finally { $ps.Dispose() }
            Start-Sleep -Milliseconds 500
            Get-IngestUpload -BatchId $chunked.Id | Format-List * -Force | Out-String

            Disconnect-IngestService -Session $viaCredential -Verbose -Debug
            Disconnect-IngestService -Verbose -Debug
        } *>&1
        $emulator | Connect-IngestService

        $script:journals = @(Get-ChildItem -LiteralPath $xdg -Recurse -File -ErrorAction SilentlyContinue)
        $text = [Text.StringBuilder]::new()
        foreach ($item in $streams) {
            $null = $text.AppendLine(($item | Out-String -Width 4096))
            if ($item -is [System.Management.Automation.ErrorRecord]) {
                $null = $text.AppendLine($item.ToString()).AppendLine($item.Exception.ToString()).AppendLine("$($item.TargetObject)").AppendLine(($item.InvocationInfo | Out-String -Width 4096))
            }
        }
        foreach ($record in $Error) {
            $null = $text.AppendLine($record.ToString()).AppendLine($record.Exception.ToString())
            $null = $text.AppendLine("$($record.TargetObject)").AppendLine(($record.InvocationInfo | Format-List * -Force | Out-String -Width 4096))
            $null = $text.AppendLine(($record | Format-List * -Force | Out-String -Width 4096))
        }
        foreach ($journal in $journals) {
            $null = $text.AppendLine([IO.File]::ReadAllText($journal.FullName))
        }
        $script:everything = $text.ToString()
        $script:errorCount = $Error.Count
    }

    It 'captured a full run: streams, errors and a journal' {
        $streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Should -Not -BeNullOrEmpty
        $streams | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -Not -BeNullOrEmpty
        $errorCount | Should -BeGreaterOrEqual 3
        $journals | Should -Not -BeNullOrEmpty
        $everything | Should -Match 'NOSUCHBATCH'
        $everything | Should -Match 'Retrying|attempt'
    }

    It 'gets a new token from IMS each time, of one shape' {
        $directTokens[0] | Should -Not -Be $directTokens[1]
        $sessionTokens | Should -HaveCount 2
        foreach ($token in @($directTokens) + $sessionTokens) { $token | Should -Match "^$tokenShape`$" }
    }

    It 'shows the client secret nowhere' {
        $plainSecret.Length | Should -BeGreaterThan 8
        $everything.Contains($plainSecret) | Should -BeFalse
        $everything.Contains($wrongSecret) | Should -BeFalse
    }

    It 'shows no access token: not those the sessions held, nor anything of their shape' {
        foreach ($token in $sessionTokens) { $everything.Contains($token) | Should -BeFalse }
        [regex]::Matches($everything, $tokenShape).Value | Should -BeNullOrEmpty
        $everything | Should -Not -Match 'Bearer\s+\S'
    }
}

Describe 'Secrets scan, Data Cloud' {
    BeforeAll {
        $script:keyText = Get-Content -Raw -LiteralPath $emulator.PrivateKeyPath
        # The PEM body lines: any one of them in the output would be key material.
        $script:keyLines = @($keyText -split "`r?`n" | Where-Object { $_ -and $_ -notmatch '^-----' })
        $script:coreTokenShape = '[0-9A-Za-z]{15}![A-Za-z0-9_-]{64}'
        $script:jwtShape = 'eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+'

        # The two token calls made by hand with the emulator's key: what the tokens a session holds look like.
        function Get-DataCloudTokens {
            $rsa = [System.Security.Cryptography.RSA]::Create()
            $rsa.ImportFromPem($keyText)
            $b64 = { param([byte[]] $b) [Convert]::ToBase64String($b).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
            $audience = $emulator.LoginUrl.ToString().TrimEnd('/')
            $claims = @{ iss = $emulator.ClientId; sub = $emulator.UserName; aud = $audience; exp = [DateTimeOffset]::UtcNow.AddMinutes(3).ToUnixTimeSeconds() } | ConvertTo-Json -Compress
            $unsigned = (& $b64 ([Text.Encoding]::UTF8.GetBytes('{"alg":"RS256"}'))) + '.' + (& $b64 ([Text.Encoding]::UTF8.GetBytes($claims)))
            $signature = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($unsigned), [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $core = Invoke-RestMethod -Method Post -Uri "$audience/services/oauth2/token" -Body @{ grant_type = 'urn:ietf:params:oauth:grant-type:jwt-bearer'; assertion = "$unsigned.$(& $b64 $signature)" }
            $cdp = Invoke-RestMethod -Method Post -Uri "$($core.instance_url.TrimEnd('/'))/services/a360/token" -Body @{ grant_type = 'urn:salesforce:grant-type:external:cdp'; subject_token = $core.access_token; subject_token_type = 'urn:ietf:params:oauth:token-type:access_token' }
            $core.access_token, $cdp.access_token
        }

        $script:direct = @(Get-DataCloudTokens)
        $csv = Join-Path $TestDrive 'orders.csv'
        'order_id,customer_id,amount,currency,created', 'S-1,C-1,1.5,EUR,2024-06-01T10:00:00.000Z' | Set-Content -LiteralPath $csv

        $Error.Clear()
        $script:dcStreams = & {
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $ErrorActionPreference = 'Continue'
            $session = $emulator | Connect-IngestService -Platform DataCloud -PassThru -Verbose -Debug
            $session | Format-List * -Force | Out-String
            $session.ToString()
            New-IngestBatch -Object orders -SourceName emulator_connector -Verbose -Debug |
                Send-IngestFile -LiteralPath $csv -PassThru -Verbose -Debug |
                Complete-IngestBatch -Wait -TimeoutSec 60 -Verbose -Debug | Format-List * -Force | Out-String
            [pscustomobject]@{ order_id = 'S-2'; customer_id = 'C-2'; amount = 2; currency = 'EUR'; created = '2024-06-01T10:00:00.000Z' } |
                Send-IngestRecord -Object orders -SourceName emulator_connector -Verbose -Debug | Format-List * -Force | Out-String
            Remove-IngestRecord -Object orders -SourceName emulator_connector -Id 'S-2' -Confirm:$false -Verbose -Debug
            # Failing calls: a job that is not there, and a login with another consumer key.
            Get-IngestStatus -BatchId '750NOSUCHJOB0000' -Session $session -Verbose -Debug
            try { Connect-IngestService -Platform DataCloud -ClientId 'not-the-consumer-key' -UserName $emulator.UserName -PrivateKeyPath $emulator.PrivateKeyPath -LoginUrl $emulator.LoginUrl -Verbose -Debug } catch { $_ }
            Disconnect-IngestService -Session $session -Verbose -Debug
        } *>&1
        $emulator | Connect-IngestService

        $text = [Text.StringBuilder]::new()
        foreach ($item in $dcStreams) {
            $null = $text.AppendLine(($item | Out-String -Width 4096))
            if ($item -is [System.Management.Automation.ErrorRecord]) {
                $null = $text.AppendLine($item.Exception.ToString()).AppendLine("$($item.TargetObject)")
            }
        }
        foreach ($record in $Error) {
            $null = $text.AppendLine($record.Exception.ToString()).AppendLine(($record | Format-List * -Force | Out-String -Width 4096))
        }
        $script:dcEverything = $text.ToString()
    }

    It 'captured a Data Cloud run with its verbose lines and errors' {
        $dcStreams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Should -Not -BeNullOrEmpty
        $dcStreams | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -Not -BeNullOrEmpty
        $dcEverything | Should -Match 'JobComplete'
        $dcEverything | Should -Match 'invalid_client_id'
    }

    It 'the patterns find real tokens and key lines (so a miss below means none were written)' {
        $direct[0] | Should -Match $coreTokenShape
        $direct[1] | Should -Match $jwtShape
        $keyLines.Count | Should -BeGreaterThan 5
        ($keyLines | Where-Object { $keyText.Contains($_) }).Count | Should -Be $keyLines.Count
    }

    It 'writes no token, assertion or key material to any stream or error record' {
        [regex]::Matches($dcEverything, $coreTokenShape).Count | Should -Be 0
        [regex]::Matches($dcEverything, $jwtShape).Count | Should -Be 0
        foreach ($line in $keyLines) { $dcEverything.Contains($line) | Should -BeFalse }
        $dcEverything | Should -Not -Match 'PRIVATE KEY'
        $dcEverything | Should -Not -Match 'Bearer [A-Za-z0-9]'
    }
}
