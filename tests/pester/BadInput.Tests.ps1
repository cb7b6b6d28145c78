#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Bad input, table-driven: each case does one wrong thing against the staged module and a real emulator, and names
# the ErrorId, the category, whether the error ends the command, and a pattern the message must match (the input).
# A file that changes size mid-upload is grown while the upload waits for "100 Continue" from a slowed emulator;
# Ingestion.Core.Tests (FileUploadTests, LargeFileUploadTests) also cover it with a handler that grows the file.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $samples = Join-Path $PSScriptRoot '../../samples'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-badinput-$([guid]::NewGuid())"
    $script:files = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-badinput-files-$([guid]::NewGuid())"
    $null = New-Item -ItemType Directory -Path $script:files
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:emulator | Connect-IngestService

    # A loopback server that answers everything with a sign-in page, the way a proxy or a wrong URL does.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $htmlPort = $probe.LocalEndpoint.Port
    $probe.Stop()
    $script:htmlListener = [System.Net.HttpListener]::new()
    $script:htmlListener.Prefixes.Add("http://127.0.0.1:$htmlPort/")
    $script:htmlListener.Start()
    $script:htmlServer = [powershell]::Create()
    $null = $script:htmlServer.AddScript({
            param($listener)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $body = [Text.Encoding]::UTF8.GetBytes('<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>')
                $context.Response.StatusCode = 200
                $context.Response.ContentType = 'text/html; charset=utf-8'
                $context.Response.OutputStream.Write($body, 0, $body.Length)
                $context.Response.Close()
            }
        }).AddArgument($script:htmlListener)
    $null = $script:htmlServer.BeginInvoke()

    function New-TestFile([string] $Name, $Content) {
        $path = Join-Path $script:files $Name
        if ($Content -is [byte[]]) { [IO.File]::WriteAllBytes($path, $Content) } else { [IO.File]::WriteAllText($path, $Content) }
        $path
    }

    $profiles = New-IngestDataset -Name 'Bad input profiles' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
    $loyalty = New-IngestDataset -Name 'Bad input loyalty' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-loyalty-csv'
    $aborted = New-IngestBatch -DatasetId $profiles.Id -Format Json
    $aborted | Stop-IngestBatch -Confirm:$false
    $active = New-IngestBatch -DatasetId $profiles.Id -Format Json -MultiLineJson
    $null = $active | Send-IngestFile -LiteralPath (Join-Path $samples 'profiles.json')
    $null = $active | Complete-IngestBatch -Wait -TimeoutSec 60
    $parquet = Join-Path $script:files 'good.parquet'
    $null = ConvertTo-IngestParquet -LiteralPath (Join-Path $samples 'loyalty.csv') -Destination $parquet
    $parquetBytes = [IO.File]::ReadAllBytes($parquet)

    # Every case gets this as its only argument.
    $script:fx = @{
        Emulator    = $script:emulator
        Profiles    = $profiles
        Loyalty     = $loyalty
        Aborted     = $aborted
        Active      = $active
        Files       = $script:files
        ProfileJson = Join-Path $samples 'profiles.json'
        HtmlServer  = "http://127.0.0.1:$htmlPort/"
        Secret      = $script:emulator.ClientSecret
        Empty       = New-TestFile 'empty.json' ''
        NotJson     = New-TestFile 'not-json.json' "{""_id"": ""p1"", ""person"": {`nthis is not json at all`n"
        Ragged      = New-TestFile 'ragged.csv' "customerId,email,points`nC1,a@example.com,1`nC2,b@example.com,2,extra,cells`n"
        BadQuotes   = New-TestFile 'bad-quotes.csv' "customerId,email,points`nC1,""a@example.com,1`nC2,b@example.com,2`n"
        NotUtf8     = New-TestFile 'latin1.csv' ([byte[]](([Text.Encoding]::ASCII.GetBytes("customerId,email,points`nC1,")) + [byte[]](0xE9, 0xFF, 0xFE) + [Text.Encoding]::ASCII.GetBytes(",1`n")))
        Garbage     = New-TestFile 'garbage.parquet' ([byte[]](1..200))
        Truncated   = New-TestFile 'truncated.parquet' ([byte[]]$parquetBytes[0..([int]($parquetBytes.Length / 2))])
        Locked      = New-TestFile 'locked.json' '{"_id":"p1"}'
        Vanishing   = New-TestFile 'vanishing.json' '{"_id":"p1"}'
    }

    # Runs a case: the first error, whether it ended the command (thrown) or was written (and the rest went on).
    # The tier runs with $ErrorActionPreference = 'Stop'; here a written error must stay a written error.
    function Invoke-Case([scriptblock] $Action) {
        $ErrorActionPreference = 'Continue'
        $written = @()
        try {
            $written = @(& $Action $script:fx 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
        catch {
            return [pscustomobject]@{ Record = $_; Terminating = $true }
        }

        [pscustomobject]@{ Record = $written | Select-Object -First 1; Terminating = $false }
    }

    # What a user reads: the exception's message and, when set, the details PowerShell shows instead.
    function Get-ErrorText($Record) { "$($Record.Exception.Message) $($Record.ErrorDetails.Message)" }
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:htmlListener) { $script:htmlListener.Stop(); $script:htmlListener.Close() }
    if ($script:htmlServer) { $script:htmlServer.Dispose() }
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    foreach ($dir in $script:dataDir, $script:files) {
        if ($dir) { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'Bad input' {
    It '<Case>' -ForEach @(
        # Batch and dataset ids: missing, blank, the wrong shape, or not there.
        @{ Case = 'Get-IngestStatus with an empty batch id'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'BatchId'"
            Action = { param($fx) Get-IngestStatus -BatchId '' } }
        @{ Case = 'Get-IngestStatus with a blank batch id'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $false; Message = 'BatchId must not be empty'
            Action = { param($fx) Get-IngestStatus -BatchId '   ' } }
        @{ Case = 'Get-IngestStatus with a batch id of the wrong shape'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $false; Message = "'no/such\?batch'"
            Action = { param($fx) Get-IngestStatus -BatchId 'no/such?batch' } }
        @{ Case = 'Get-IngestStatus with a batch that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = 'NOSUCHBATCH'
            Action = { param($fx) Get-IngestStatus -BatchId 'NOSUCHBATCH' } }
        @{ Case = 'Get-IngestError with a batch that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = 'NOSUCHBATCH'
            Action = { param($fx) Get-IngestError -BatchId 'NOSUCHBATCH' } }
        @{ Case = 'Stop-IngestBatch with a batch that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $true; Message = 'NOSUCHBATCH'
            Action = { param($fx) Stop-IngestBatch -BatchId 'NOSUCHBATCH' -Confirm:$false } }
        @{ Case = 'Remove-IngestBatch with a batch that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $true; Message = 'NOSUCHBATCH'
            Action = { param($fx) Remove-IngestBatch -BatchId 'NOSUCHBATCH' -Confirm:$false } }
        @{ Case = 'Send-IngestFile to a batch that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $true; Message = 'NOSUCHBATCH'
            Action = { param($fx) Send-IngestFile -BatchId 'NOSUCHBATCH' -DatasetId $fx.Profiles.Id -LiteralPath $fx.ProfileJson } }
        @{ Case = 'Send-IngestFile with a blank batch id'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = 'BatchId must not be empty'
            Action = { param($fx) Send-IngestFile -BatchId ' ' -DatasetId $fx.Profiles.Id -LiteralPath $fx.ProfileJson } }
        @{ Case = 'Send-IngestFile with a dataset id of the wrong shape'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = "'bad\?id'"
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Send-IngestFile -DatasetId 'bad?id' -LiteralPath $fx.ProfileJson, $fx.ProfileJson } }
        @{ Case = 'New-IngestBatch with an empty dataset id'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'DatasetId'"
            Action = { param($fx) New-IngestBatch -DatasetId '' -Format Json } }
        @{ Case = 'New-IngestBatch with a blank dataset id'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $false; Message = 'DatasetId must not be empty'
            Action = { param($fx) New-IngestBatch -DatasetId '  ' -Format Json } }
        @{ Case = 'New-IngestBatch with a dataset id of the wrong shape'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $false; Message = "'not a/dataset'"
            Action = { param($fx) New-IngestBatch -DatasetId 'not a/dataset' -Format Json } }
        @{ Case = 'New-IngestBatch in a dataset that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = '0123456789abcdef01234567'
            Action = { param($fx) New-IngestBatch -DatasetId '0123456789abcdef01234567' -Format Json } }
        @{ Case = 'Get-IngestDataset with an id that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = '0123456789abcdef01234567'
            Action = { param($fx) Get-IngestDataset -Id '0123456789abcdef01234567' } }
        @{ Case = 'Test-IngestFile against a dataset that does not exist'; ErrorId = 'NotFound'; Category = 'ObjectNotFound'; Stops = $true; Message = '0123456789abcdef01234567'
            Action = { param($fx) Test-IngestFile -LiteralPath $fx.ProfileJson -DatasetId '0123456789abcdef01234567' } }
        @{ Case = 'Send-IngestFile naming another dataset than the batch'; ErrorId = 'InvalidArgument'; Category = 'InvalidData'; Stops = $false; Message = $null; Names = 'Loyalty'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson | Send-IngestFile -DatasetId $fx.Loyalty.Id -LiteralPath $fx.ProfileJson } }

        # Names in the batch (-Name).
        @{ Case = 'Send-IngestFile -Name climbing out with ..'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = "'\.\./escape\.json'"
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson | Send-IngestFile -LiteralPath $fx.ProfileJson -Name '../escape.json' } }
        @{ Case = 'Send-IngestFile -Name with .. in the middle'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = "'part/\.\./x\.json'"
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson | Send-IngestFile -LiteralPath $fx.ProfileJson -Name 'part/../x.json' } }
        @{ Case = 'Send-IngestFile -Name with a NUL'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = 'bad\S*\.json'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson | Send-IngestFile -LiteralPath $fx.ProfileJson -Name "bad`0name.json" } }
        @{ Case = 'Send-IngestFile -Name with a control character'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = 'bad\S*\.json'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson | Send-IngestFile -LiteralPath $fx.ProfileJson -Name "bad`u{1b}name.json" } }
        @{ Case = 'Send-IngestFile -Name of 1,000+ characters'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = 'x{20}'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson | Send-IngestFile -LiteralPath $fx.ProfileJson -Name (('x' * 1020) + '.json') } }
        @{ Case = 'Send-IngestFile -Name of white space only'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = "'  '.*blank"
            Action = { param($fx) Send-IngestFile -BatchId $fx.Aborted.Id -DatasetId $fx.Profiles.Id -LiteralPath $fx.ProfileJson -Name '  ' } }
        @{ Case = 'Send-IngestFile -Name ending in a slash'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = "'folder/'"
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson | Send-IngestFile -LiteralPath $fx.ProfileJson -Name 'folder/' } }

        # Local files.
        @{ Case = 'Send-IngestFile of an empty file'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'empty\.json'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Send-IngestFile -LiteralPath $fx.Empty } }
        @{ Case = 'ConvertTo-IngestParquet of an empty file'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'empty\.json'
            Action = { param($fx) ConvertTo-IngestParquet -LiteralPath $fx.Empty -DatasetId $fx.Profiles.Id -Destination (Join-Path $fx.Files 'out-empty.parquet') } }
        @{ Case = 'Send-IngestFile of a file that vanished after it was listed'; ErrorId = 'PathNotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = 'vanishing\.json'
            Action = { param($fx) Get-Item -LiteralPath $fx.Vanishing | ForEach-Object { Remove-Item -LiteralPath $_.FullName; $_ } | Send-IngestFile -BatchId (New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json).Id -DatasetId $fx.Profiles.Id } }
        @{ Case = 'Send-IngestFile of a file that grows while it is sent'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $false; Message = "growing\.json' changed size during the upload"
            Action = {
                param($fx)
                $path = Join-Path $fx.Files 'growing.json'
                Copy-Item -LiteralPath $fx.ProfileJson -Destination $path -Force
                $batch = New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -MultiLineJson
                # The upload asks for "100 Continue" first, and the emulator holds its answer for 10 s: the client sends the
                # body after its 2 s wait, by which time the file has grown by a line.
                $faults = @{ slowRate = 1; slowDelaySeconds = 10; pathPrefix = "/data/foundation/import/batches/$($batch.Id)/datasets" } | ConvertTo-Json
                Invoke-RestMethod -Method Put -Uri "$($fx.Emulator.Endpoint)emulator/faults" -Body $faults -ContentType 'application/json' | Out-Null
                $writer = [powershell]::Create().AddScript({ param($p) Start-Sleep -Milliseconds 700; [IO.File]::AppendAllText($p, "`n") }).AddArgument($path)
                $growing = $writer.BeginInvoke()
                try { $batch | Send-IngestFile -LiteralPath $path }
                finally {
                    $writer.EndInvoke($growing)
                    $writer.Dispose()
                    Invoke-RestMethod -Method Put -Uri "$($fx.Emulator.Endpoint)emulator/faults" -Body '{}' -ContentType 'application/json' | Out-Null
                }
            } }
        @{ Case = 'Send-IngestFile of a file it may not read'; ErrorId = 'FileAccessDenied'; Category = 'PermissionDenied'; Stops = $false; Message = 'locked\.json'; NeedsPermissions = $true
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Send-IngestFile -LiteralPath $fx.Locked } }
        @{ Case = 'Send-IngestFile with a wildcard that matches nothing'; ErrorId = 'PathNotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = 'no-such-\*\.json'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Send-IngestFile -Path (Join-Path $fx.Files 'no-such-*.json') } }
        @{ Case = 'Send-IngestFile of a literal path that does not exist'; ErrorId = 'PathNotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = 'missing\.json'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Send-IngestFile -LiteralPath (Join-Path $fx.Files 'missing.json') } }
        @{ Case = 'Send-IngestFile of a directory'; ErrorId = 'DirectoryNotSupported'; Category = 'InvalidType'; Stops = $false; Message = 'is a directory'; Names = 'Files'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Send-IngestFile -LiteralPath $fx.Files } }
        @{ Case = 'Test-IngestFile with a wildcard that matches nothing'; ErrorId = 'PathNotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = 'nothing-\*\.csv'
            Action = { param($fx) Test-IngestFile -Path (Join-Path $fx.Files 'nothing-*.csv') -DatasetId $fx.Loyalty.Id } }
        @{ Case = 'Get-IngestParquetInfo of a directory'; ErrorId = 'DirectoryNotSupported'; Category = 'InvalidType'; Stops = $false; Message = 'is a directory'; Names = 'Files'
            Action = { param($fx) Get-IngestParquetInfo -LiteralPath $fx.Files } }

        # Content that is not what it claims to be.
        @{ Case = 'Send-IngestFile -ConvertToParquet of JSON that is not JSON'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'not-json\.json'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Parquet | Send-IngestFile -LiteralPath $fx.NotJson -ConvertToParquet } }
        @{ Case = 'ConvertTo-IngestParquet of JSON that is not JSON'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'not-json\.json'
            Action = { param($fx) ConvertTo-IngestParquet -LiteralPath $fx.NotJson -DatasetId $fx.Profiles.Id -Destination (Join-Path $fx.Files 'out-not-json.parquet') } }
        @{ Case = 'ConvertTo-IngestParquet of a CSV with a ragged row'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'ragged\.csv.*(row|line) '
            Action = { param($fx) ConvertTo-IngestParquet -LiteralPath $fx.Ragged -Destination (Join-Path $fx.Files 'out-ragged.parquet') } }
        @{ Case = 'ConvertTo-IngestParquet of a CSV with an unclosed quote'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'bad-quotes\.csv.*(row|line) '
            Action = { param($fx) ConvertTo-IngestParquet -LiteralPath $fx.BadQuotes -Destination (Join-Path $fx.Files 'out-quotes.parquet') } }
        @{ Case = 'ConvertTo-IngestParquet of a CSV that is not UTF-8'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'latin1\.csv.*UTF-8'
            Action = { param($fx) ConvertTo-IngestParquet -LiteralPath $fx.NotUtf8 -Destination (Join-Path $fx.Files 'out-latin1.parquet') } }
        @{ Case = 'Get-IngestParquetInfo of a file that is not Parquet'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'garbage\.parquet'
            Action = { param($fx) Get-IngestParquetInfo -LiteralPath $fx.Garbage } }
        @{ Case = 'Get-IngestParquetInfo of a truncated Parquet file'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'truncated\.parquet'
            Action = { param($fx) Get-IngestParquetInfo -LiteralPath $fx.Truncated } }
        @{ Case = 'Import-IngestParquet of a file that is not Parquet'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'garbage\.parquet'
            Action = { param($fx) Import-IngestParquet -LiteralPath $fx.Garbage } }
        @{ Case = 'Import-IngestParquet of a truncated Parquet file'; ErrorId = 'InvalidData'; Category = 'InvalidData'; Stops = $false; Message = 'truncated\.parquet'
            Action = { param($fx) Import-IngestParquet -LiteralPath $fx.Truncated } }

        # Batches in the wrong state.
        @{ Case = 'Complete-IngestBatch of an aborted batch'; ErrorId = 'InvalidState'; Category = 'InvalidOperation'; Stops = $false; Message = 'aborted'; Names = 'Aborted'
            Action = { param($fx) Complete-IngestBatch -BatchId $fx.Aborted.Id -Confirm:$false } }
        @{ Case = 'Stop-IngestBatch of an active batch'; ErrorId = 'InvalidState'; Category = 'InvalidOperation'; Stops = $false; Message = 'active'; Names = 'Active'
            Action = { param($fx) Stop-IngestBatch -BatchId $fx.Active.Id -Confirm:$false } }
        @{ Case = 'Stop-IngestBatch of an aborted batch'; ErrorId = 'InvalidState'; Category = 'InvalidOperation'; Stops = $false; Message = 'aborted'; Names = 'Aborted'
            Action = { param($fx) Stop-IngestBatch -BatchId $fx.Aborted.Id -Confirm:$false } }
        @{ Case = 'Remove-IngestBatch of a batch still loading'; ErrorId = 'InvalidState'; Category = 'InvalidOperation'; Stops = $false; Message = 'loading'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Remove-IngestBatch -Confirm:$false } }
        @{ Case = 'Send-IngestFile to an aborted batch'; ErrorId = 'InvalidState'; Category = 'InvalidOperation'; Stops = $true; Message = 'is aborted, not loading'; Names = 'Aborted'
            Action = { param($fx) Send-IngestFile -BatchId $fx.Aborted.Id -DatasetId $fx.Profiles.Id -LiteralPath $fx.ProfileJson } }
        @{ Case = 'Get-IngestStatus -Wait with a one-second timeout'; ErrorId = 'WaitTimeout'; Category = 'OperationTimeout'; Stops = $false; Message = 'Timed out|timed out|seconds'
            Action = { param($fx) New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json | Get-IngestStatus -Wait -TimeoutSec 1 } }

        # Credentials and endpoints.
        @{ Case = 'Connect-IngestService with a wrong secret'; ErrorId = 'AuthenticationFailed'; Category = 'PermissionDenied'; Stops = $true; Message = $null; ClientIdInMessage = $true
            Action = { param($fx) Connect-IngestService -ClientId $fx.Emulator.ClientId -ClientSecret (ConvertTo-SecureString 'wrong-secret' -AsPlainText -Force) -OrganizationId $fx.Emulator.OrganizationId -Sandbox prod -Endpoint $fx.Emulator.Endpoint -MaxRetries 0 } }
        @{ Case = 'Connect-IngestService with a PSCredential of an unknown client'; ErrorId = 'AuthenticationFailed'; Category = 'PermissionDenied'; Stops = $true; Message = 'no-such-client'
            Action = { param($fx) Connect-IngestService -Credential ([pscredential]::new('no-such-client', $fx.Secret)) -OrganizationId $fx.Emulator.OrganizationId -Sandbox prod -Endpoint $fx.Emulator.Endpoint -MaxRetries 0 } }
        @{ Case = 'Get-IngestDataset once the access token has expired and the renewed one is refused too'; ErrorId = 'AuthenticationFailed'; Category = 'PermissionDenied'; Stops = $true; Message = '401 twice'; ClientIdInMessage = $true
            Action = {
                param($fx)
                # From now on every token expires a microsecond after it is issued: the one in hand, and the one fetched to replace it.
                Invoke-RestMethod -Method Put -Uri "$($fx.Emulator.Endpoint)emulator/faults" -Body '{"tokenLifetimeSeconds":0.000001}' -ContentType 'application/json' | Out-Null
                try { Get-IngestDataset -Id $fx.Profiles.Id }
                finally {
                    Invoke-RestMethod -Method Put -Uri "$($fx.Emulator.Endpoint)emulator/faults" -Body '{}' -ContentType 'application/json' | Out-Null
                    $fx.Emulator | Connect-IngestService
                }
            } }
        @{ Case = 'Connect-IngestService to an endpoint that is not HTTPS'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = 'http://example\.com'
            Action = { param($fx) Connect-IngestService -ClientId 'c' -ClientSecret $fx.Secret -OrganizationId 'o@AdobeOrg' -Sandbox prod -Endpoint 'http://example.com' } }
        @{ Case = 'Connect-IngestService to an endpoint that is not HTTP at all'; ErrorId = 'InvalidArgument'; Category = 'InvalidArgument'; Stops = $true; Message = 'ftp://example\.com'
            Action = { param($fx) Connect-IngestService -ClientId 'c' -ClientSecret $fx.Secret -OrganizationId 'o@AdobeOrg' -Sandbox prod -Endpoint 'ftp://example.com' } }
        @{ Case = 'Connect-IngestService to a server that answers HTML'; ErrorId = 'UnexpectedResponse'; Category = 'InvalidResult'; Stops = $true; Message = 'text/html'
            Action = { param($fx) Connect-IngestService -ClientId 'c' -ClientSecret $fx.Secret -OrganizationId 'o@AdobeOrg' -Sandbox prod -Endpoint $fx.HtmlServer -MaxRetries 0 } }
        @{ Case = 'Get-IngestDataset from a platform endpoint that answers HTML'; ErrorId = 'UnexpectedResponse'; Category = 'InvalidResult'; Stops = $false; Message = 'text/html'
            Action = {
                param($fx)
                $session = Connect-IngestService -ClientId $fx.Emulator.ClientId -ClientSecret $fx.Secret -OrganizationId $fx.Emulator.OrganizationId -Sandbox prod -Endpoint $fx.HtmlServer -ImsEndpoint $fx.Emulator.Endpoint -MaxRetries 0 -PassThru
                try { Get-IngestDataset -Id $fx.Profiles.Id -Session $session } finally { $fx.Emulator | Connect-IngestService }
            } }

        # Parameters out of range.
        @{ Case = 'Send-IngestFile -ChunkSize above 512,000,000'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'ChunkSize'.*512000001"
            Action = { param($fx) Send-IngestFile -BatchId 'B' -DatasetId 'D' -LiteralPath $fx.ProfileJson -ChunkSize 512000001 } }
        @{ Case = 'Send-IngestFile -ThrottleLimit 0'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'ThrottleLimit'"
            Action = { param($fx) Send-IngestFile -BatchId 'B' -DatasetId 'D' -LiteralPath $fx.ProfileJson -ThrottleLimit 0 } }
        @{ Case = 'Send-IngestFile -ChunkThreshold negative'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'ChunkThreshold'"
            Action = { param($fx) Send-IngestFile -BatchId 'B' -DatasetId 'D' -LiteralPath $fx.ProfileJson -ChunkThreshold -1 } }
        @{ Case = 'Connect-IngestService -MaxRetries -1'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'MaxRetries'"
            Action = { param($fx) $fx.Emulator | Connect-IngestService -MaxRetries -1 } }
        @{ Case = 'Connect-IngestService -TimeoutSec 0'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'TimeoutSec'"
            Action = { param($fx) $fx.Emulator | Connect-IngestService -TimeoutSec 0 } }
        @{ Case = 'Connect-IngestService -RetryDelay negative'; ErrorId = 'InvalidRetryDelay'; Category = 'InvalidArgument'; Stops = $true; Message = '-00:00:01'
            Action = { param($fx) $fx.Emulator | Connect-IngestService -RetryDelay ([timespan]::FromSeconds(-1)) } }
        @{ Case = 'Get-IngestStatus -TimeoutSec -1'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'TimeoutSec'"
            Action = { param($fx) Get-IngestStatus -BatchId 'B' -Wait -TimeoutSec -1 } }
        @{ Case = 'ConvertTo-IngestParquet -RowGroupSize 0'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'RowGroupSize'"
            Action = { param($fx) ConvertTo-IngestParquet -LiteralPath $fx.Ragged -Destination (Join-Path $fx.Files 'x.parquet') -RowGroupSize 0 } }
        @{ Case = 'Import-IngestParquet -First -1'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Stops = $true; Message = "'First'"
            Action = { param($fx) Import-IngestParquet -LiteralPath $fx.Garbage -First -1 } }

        # Things that are not there.
        @{ Case = 'Remove-IngestUpload of a journal that does not exist'; ErrorId = 'UploadJournalNotFound'; Category = 'ObjectNotFound'; Stops = $false; Message = 'NOSUCHBATCH'
            Action = { param($fx) Remove-IngestUpload -BatchId 'NOSUCHBATCH' -Confirm:$false } }
        @{ Case = 'Stop-IngestEmulator -ProcessId of this PowerShell'; ErrorId = 'NotAnEmulator'; Category = 'InvalidOperation'; Stops = $false; Message = "Process $PID "
            Action = { param($fx) Stop-IngestEmulator -ProcessId $PID -Confirm:$false } }
        @{ Case = 'Get-IngestStatus after Disconnect-IngestService'; ErrorId = 'NoSession'; Category = 'ConnectionError'; Stops = $true; Message = 'Connect-IngestService'
            Action = { param($fx) Disconnect-IngestService; try { Get-IngestStatus -BatchId 'B1' } finally { $fx.Emulator | Connect-IngestService } } }
        @{ Case = 'Get-IngestDataset with a disconnected -Session'; ErrorId = 'NoSession'; Category = 'ConnectionError'; Stops = $true; Message = 'Connect-IngestService'
            Action = { param($fx) $session = $fx.Emulator | Connect-IngestService -PassThru; Disconnect-IngestService; try { Get-IngestDataset -Session $session } finally { $fx.Emulator | Connect-IngestService } } }
    ) {
        if ($NeedsPermissions -and ($IsWindows -or (id -u) -eq '0')) {
            Set-ItResult -Skipped -Because 'file permissions are not enforced on Windows or for root'
            return
        }
        if ($NeedsPermissions) { chmod 000 $fx.Locked }
        try { $result = Invoke-Case $Action }
        finally { if ($NeedsPermissions) { chmod 644 $fx.Locked } }

        $record = $result.Record
        $record | Should -Not -BeNullOrEmpty -Because 'doing this wrong must be an error'
        $text = Get-ErrorText $record
        ($record.FullyQualifiedErrorId -split ',')[0] | Should -Be $ErrorId -Because $text
        $record.CategoryInfo.Category | Should -Be $Category -Because $text
        $result.Terminating | Should -Be $Stops -Because "$ErrorId should$(if (-not $Stops) { ' not' }) end the command"
        if ($Message) { $text | Should -Match $Message }
        if ($Names) {
            $named = if ($fx[$Names] -is [string]) { $fx[$Names] } else { $fx[$Names].Id }
            $text | Should -Match ([regex]::Escape($named))
        }
        if ($ClientIdInMessage) { $text | Should -Match ([regex]::Escape($fx.Emulator.ClientId)) }
    }
}

Describe 'Bad input that is not an error record' {
    It 'fails a batch of multi-line JSON sent without -MultiLineJson, and says why' {
        $status = New-IngestBatch -DatasetId $fx.Profiles.Id -Format Json -ErrorDiagnostics |
            Send-IngestFile -LiteralPath $fx.ProfileJson -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 60 -WarningVariable warned -WarningAction SilentlyContinue
        $status.Status | Should -Be 'Failed'
        $warned | Should -Not -BeNullOrEmpty
        (Get-IngestError -BatchId $status.Id).Message | Should -Match 'isMultiLineJson'
    }

    It 'warns, naming the folder, when Stop-IngestEmulator finds nothing running there' {
        $nothing = Join-Path $fx.Files 'nothing-running'
        Stop-IngestEmulator -DataDirectory $nothing -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        "$warned" | Should -Match ([regex]::Escape($nothing))
    }

    It 'reports an empty file in Test-IngestFile, which AEP would fail the batch over' {
        $report = Test-IngestFile -LiteralPath $fx.Empty -DatasetId $fx.Profiles.Id
        $report.IsValid | Should -BeFalse
        "$($report.Problems)" | Should -Match 'empty'
    }

    It 'reports JSON that is not JSON in Test-IngestFile, naming the file' {
        $report = Test-IngestFile -LiteralPath $fx.NotJson -DatasetId $fx.Profiles.Id -MultiLineJson
        $report.IsValid | Should -BeFalse
        ($report.Problems | Out-String) | Should -Match 'JSON'
    }

    It 'reports ragged and badly quoted CSV rows in Test-IngestFile' -ForEach @(@{ File = 'Ragged' }, @{ File = 'BadQuotes' }) {
        $report = Test-IngestFile -LiteralPath $fx[$File] -DatasetId $fx.Loyalty.Id
        $report.IsValid | Should -BeFalse
    }

    It 'names the batch it created when a file then fails, and does not pass it on' {
        $batch = New-IngestBatch -DatasetId $fx.Profiles.Id -Format Parquet
        $out = $batch | Send-IngestFile -LiteralPath $fx.NotJson -ConvertToParquet -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        # The error itself names the batch left loading, not only the warning.
        (Get-ErrorText $errs[0]) | Should -Match "batch '$([regex]::Escape($batch.Id))' stays loading"
        $warned | Should -HaveCount 1
        "$warned" | Should -Match ([regex]::Escape($batch.Id))
    }

    It 'ends the command at the first file sent to an aborted batch, with InvalidState, instead of failing each file' {
        $ErrorActionPreference = 'Continue'
        $second = Join-Path $fx.Files 'second-for-aborted.json'
        Copy-Item -LiteralPath $fx.ProfileJson -Destination $second
        $thrown = $null
        $written = @()
        try {
            $written = @(Send-IngestFile -BatchId $fx.Aborted.Id -DatasetId $fx.Profiles.Id -LiteralPath $fx.ProfileJson, $second -ThrottleLimit 1 2>&1 |
                Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
        catch { $thrown = $_ }
        $written | Should -BeNullOrEmpty -Because 'no file gets an error of its own'
        $thrown | Should -Not -BeNullOrEmpty -Because 'the batch cannot take any file, so the command ends'
        ($thrown.FullyQualifiedErrorId -split ',')[0] | Should -Be 'InvalidState'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidOperation'
        (Get-ErrorText $thrown) | Should -Match ([regex]::Escape($fx.Aborted.Id))
    }
}
