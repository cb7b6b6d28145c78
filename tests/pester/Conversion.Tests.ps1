#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The conversion cmdlets as PowerShell commands: files and objects to Parquet and back, dataset schemas, checks, -WhatIf, Ctrl+C.

BeforeAll {
    $script:modulePath = if ($env:INGESTION_MODULE_PATH) { $env:INGESTION_MODULE_PATH } else { Join-Path $PSScriptRoot '../../artifacts/module/Ingestion/Ingestion.psd1' }
    Import-Module $script:modulePath -Force
    $script:samples = Join-Path $PSScriptRoot '../../samples'
    $script:loyaltyCsv = Join-Path $script:samples 'loyalty.csv'
    $script:profilesJson = Join-Path $script:samples 'profiles.json'
    $script:dataDir = Join-Path ([IO.Path]::GetTempPath()) "ingestion-pester-conversion-$([guid]::NewGuid())"
    $script:emulator = Start-IngestEmulator -DataDirectory $script:dataDir
    $script:emulator | Connect-IngestService
    $script:profiles = New-IngestDataset -Name 'Conversion profiles' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
    $script:loyalty = New-IngestDataset -Name 'Conversion loyalty' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-loyalty-csv'
}

AfterAll {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    if ($script:emulator) { $script:emulator | Stop-IngestEmulator -Confirm:$false }
    if ($script:dataDir) { Remove-Item -LiteralPath $script:dataDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'ConvertTo-IngestParquet' {
    It 'converts the loyalty CSV and Import-IngestParquet reads its 40 rows back' {
        $result = ConvertTo-IngestParquet -Path $loyaltyCsv -Destination "$TestDrive/x.parquet"

        $result.GetType().FullName | Should -Be 'Ingestion.Core.Models.ParquetConversionResult'
        $result.Rows | Should -Be 40
        $result.UnmatchedColumns | Should -BeNullOrEmpty
        $rows = Import-IngestParquet -Path "$TestDrive/x.parquet"
        $rows | Should -HaveCount 40
        $rows[0].customerId | Should -Be 'C5000'
        $rows[0].points | Should -BeOfType [long]
        $rows[0].lastPurchase | Should -BeOfType [datetime]
        (Import-IngestParquet -Path "$TestDrive/x.parquet" -First 5) | Should -HaveCount 5
    }

    It 'writes nothing with -WhatIf' {
        $result = ConvertTo-IngestParquet -Path $loyaltyCsv -Destination "$TestDrive/whatif.parquet" -WhatIf
        $result | Should -BeNullOrEmpty
        "$TestDrive/whatif.parquet" | Should -Not -Exist
    }

    It 'refuses to replace a file without -Force and replaces it with -Force' {
        $null = ConvertTo-IngestParquet -Path $loyaltyCsv -Destination "$TestDrive/twice.parquet"
        ConvertTo-IngestParquet -Path $loyaltyCsv -Destination "$TestDrive/twice.parquet" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'DestinationExists,Ingestion.PowerShell.Commands.ConvertToIngestParquetCommand'
        (ConvertTo-IngestParquet -Path $loyaltyCsv -Destination "$TestDrive/twice.parquet" -Force -Compression Gzip).Compression | Should -Be 'Gzip'
    }

    It 'turns pipeline objects into rows and back, nested values, dates, decimals and nulls included' {
        $born = [datetime]::new(1815, 12, 10, 0, 0, 0, [DateTimeKind]::Utc)
        $objects = @(
            [pscustomobject]@{ Name = 'Ada'; Born = $born; Amount = 12.5d; Tags = @('math', 'poet'); Address = @{ City = 'London'; Zip = $null } }
            [pscustomobject]@{ Name = 'Grace'; Born = $null; Amount = 3; Tags = @(); Address = $null }
        )

        $result = $objects | ConvertTo-IngestParquet -Destination "$TestDrive/objects.parquet"

        $result.Rows | Should -Be 2
        $back = Import-IngestParquet -Path "$TestDrive/objects.parquet"
        $back[0].Name | Should -Be 'Ada'
        $back[0].Born | Should -Be $born
        $back[0].Amount | Should -Be 12.5
        $back[0].Tags | Should -Be @('math', 'poet')
        $back[0].Address.City | Should -Be 'London'
        $back[0].Address.Zip | Should -BeNullOrEmpty
        $back[1].Born | Should -BeNullOrEmpty
        $back[1].Amount | Should -Be 3
        @($back[1].Tags) | Should -HaveCount 0
        $back[1].Address | Should -BeNullOrEmpty
    }

    It 'converts profiles.json to the schema of the demo-profile dataset, which ingests it' {
        $result = ConvertTo-IngestParquet -Path $profilesJson -DatasetId $profiles.Id -Destination "$TestDrive/profiles.parquet"

        $result.Rows | Should -Be 14
        $result.SchemaSource | Should -BeLike "*dataset '$($profiles.Id)'*"
        $row = Import-IngestParquet -Path "$TestDrive/profiles.parquet" -First 1
        $row.person.name.firstName | Should -Be 'Ada'
        $row.identityMap['CRMID'][0].id | Should -Be 'CRM1000'
        $status = New-IngestBatch -DatasetId $profiles.Id -Format Parquet |
            Send-IngestFile -Path "$TestDrive/profiles.parquet" -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 60
        $status.Status | Should -Be 'Active'
        $status.Records | Should -Be 14
    }

    It 'maps flat columns into XDM fields and reports the columns no field takes' {
        'F_NAME,L_NAME,EMAIL,POINTS,SHOE_SIZE', 'Ada,Lovelace,ada@example.com,120,38' | Set-Content -Path "$TestDrive/crm.csv"
        $mapping = @{ F_NAME = 'person.name.firstName'; L_NAME = 'person.name.lastName'; EMAIL = 'personalEmail.address' }

        $result = ConvertTo-IngestParquet -Path "$TestDrive/crm.csv" -DatasetId $profiles.Id -Mapping $mapping -Destination "$TestDrive/crm.parquet" -WarningVariable warned -WarningAction SilentlyContinue

        $result.UnmatchedColumns | Should -Be @('SHOE_SIZE')
        $warned | Should -HaveCount 1
        $row = Import-IngestParquet -Path "$TestDrive/crm.parquet"
        $row.person.name.lastName | Should -Be 'Lovelace'
        $row.loyalty.points | Should -Be 120
    }

    It 'fails with InvalidData naming the row and the field, and leaves no file' {
        'customerId,points', 'C1,1', 'C2,many' | Set-Content -Path "$TestDrive/bad.csv"

        { ConvertTo-IngestParquet -Path "$TestDrive/bad.csv" -DatasetId $loyalty.Id -Destination "$TestDrive/bad.parquet" -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidData,Ingestion.PowerShell.Commands.ConvertToIngestParquetCommand' -ExpectedMessage "*row 2 (line 3), column 'points'*"
        "$TestDrive/bad.parquet" | Should -Not -Exist
        Get-ChildItem -Path $TestDrive -Force -Filter '*.tmp' | Should -BeNullOrEmpty
    }

    It 'refuses several piped files into one destination file instead of overwriting it in turn' {
        Copy-Item $loyaltyCsv "$TestDrive/a.csv"
        Copy-Item $loyaltyCsv "$TestDrive/b.csv"

        { Get-ChildItem "$TestDrive/*.csv" | ConvertTo-IngestParquet -Destination "$TestDrive/one.parquet" -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'DestinationNotDirectory,Ingestion.PowerShell.Commands.ConvertToIngestParquetCommand'
    }

    It 'converts files piped from Get-ChildItem into a folder, not into rows' {
        New-Item -ItemType Directory "$TestDrive/in", "$TestDrive/out" | Out-Null
        Copy-Item $loyaltyCsv "$TestDrive/in/a.csv"
        Copy-Item $loyaltyCsv "$TestDrive/in/b.csv"

        $results = Get-ChildItem "$TestDrive/in/*.csv" | ConvertTo-IngestParquet -Destination "$TestDrive/out"

        $results | Should -HaveCount 2
        $results.Rows | Should -Be @(40, 40)
        (Get-ChildItem "$TestDrive/out").Name | Sort-Object | Should -Be @('a.parquet', 'b.parquet')
    }

    It 'refuses -Schema with -DatasetId' {
        { ConvertTo-IngestParquet -Path $loyaltyCsv -Destination "$TestDrive/c.parquet" -Schema "$TestDrive/s.json" -DatasetId $loyalty.Id } |
            Should -Throw -ErrorId 'SchemaConflict,Ingestion.PowerShell.Commands.ConvertToIngestParquetCommand'
    }

    It 'leaves no temporary file behind when stopped (Ctrl+C)' {
        $csv = Join-Path $TestDrive 'big.csv'
        $lines = [Collections.Generic.List[string]]::new()
        $lines.Add('id,name,score')
        foreach ($i in 1..400000) { $lines.Add("$i,name$($i % 97),$($i * 0.5)") }
        [IO.File]::WriteAllLines($csv, $lines)
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$modulePath'; ConvertTo-IngestParquet -Path '$csv' -Destination '$TestDrive/big.parquet' -SampleSize 0")
        try {
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 300
            $ps.Stop()
            $null = $async.AsyncWaitHandle.WaitOne(30000)
        }
        finally {
            $ps.Dispose()
        }

        $deadline = (Get-Date).AddSeconds(10)
        while ((Get-ChildItem -Path $TestDrive -Force -Filter '*.tmp') -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-ChildItem -Path $TestDrive -Force -Filter '*.tmp' | Should -BeNullOrEmpty
    }
}

Describe 'Get-IngestParquetInfo' {
    It 'shows schema, row groups, codecs and column statistics' {
        $null = ConvertTo-IngestParquet -Path $loyaltyCsv -Destination "$TestDrive/info.parquet" -RowGroupSize 1024

        $info = Get-IngestParquetInfo -Path "$TestDrive/info.parquet"

        $info.GetType().FullName | Should -Be 'Ingestion.Core.Models.ParquetFileInfo'
        $info.Rows | Should -Be 40
        $info.RowGroups | Should -BeGreaterThan 1
        $info.Codecs | Should -Be 'SNAPPY'
        $points = $info.Columns | Where-Object Path -eq 'points'
        $points.Type | Should -Be 'INT64'
        $points.Nulls | Should -Be 0
        ($info | Format-Table | Out-String) | Should -Match 'RowGroups'
    }

    It 'reports a file that is not Parquet and goes on' {
        $infos = Get-IngestParquetInfo -Path $loyaltyCsv, "$TestDrive/info.parquet" -ErrorVariable errs -ErrorAction SilentlyContinue
        $infos | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidData,Ingestion.PowerShell.Commands.GetIngestParquetInfoCommand'
    }
}

Describe 'Test-IngestFile' {
    It 'reports a field the schema does not have and a value that does not convert' {
        'customerId,points,colour', 'C1,12,red', 'C2,lots,blue' | Set-Content -Path "$TestDrive/points.csv"

        $report = Test-IngestFile -Path "$TestDrive/points.csv" -DatasetId $loyalty.Id

        $report.GetType().FullName | Should -Be 'Ingestion.Core.Models.FileCheckReport'
        $report.IsValid | Should -BeFalse
        $report.Problems | Should -HaveCount 2
        $report.Problems[0].Field | Should -Be 'colour'
        $report.Problems[1].Field | Should -Be 'points'
        $report.Problems[1].Row | Should -Be 2
    }

    It 'flags a JSON array without -MultiLineJson and passes it with it' {
        (Test-IngestFile -Path $profilesJson -DatasetId $profiles.Id).Problems[0].Message | Should -BeLike '*-MultiLineJson*'
        (Test-IngestFile -Path $profilesJson -DatasetId $profiles.Id -MultiLineJson).IsValid | Should -BeTrue
    }

    It 'takes files from Get-ChildItem and the dataset from its id' {
        $reports = Get-Item $loyaltyCsv | Test-IngestFile -DatasetId $loyalty.Id
        $reports.IsValid | Should -BeTrue
        $reports.Rows | Should -Be 40
    }
}

Describe 'Send-IngestFile -ConvertToParquet' {
    It 'converts, uploads as .parquet, removes its temporary file and ingests' {
        $before = @(Get-ChildItem -Path ([IO.Path]::GetTempPath()) -Filter 'ingestion-*' -Directory).Count
        $batch = New-IngestBatch -DatasetId $loyalty.Id -Format Parquet

        $result = $batch | Send-IngestFile -Path $loyaltyCsv -ConvertToParquet

        $result.RemoteName | Should -Be 'loyalty.parquet'
        $result.Path | Should -Be (Get-Item $loyaltyCsv).FullName
        @(Get-ChildItem -Path ([IO.Path]::GetTempPath()) -Filter 'ingestion-*' -Directory).Count | Should -Be $before
        $status = $batch | Complete-IngestBatch -Wait -TimeoutSec 60
        $status.Status | Should -Be 'Active'
        $status.Records | Should -Be 40
    }

    It 'converts nothing and sends nothing with -WhatIf' {
        $batch = New-IngestBatch -DatasetId $loyalty.Id -Format Parquet
        $batch | Send-IngestFile -Path $loyaltyCsv -ConvertToParquet -WhatIf | Should -BeNullOrEmpty
    }

    It 'refuses -Mapping without -ConvertToParquet' {
        { Send-IngestFile -BatchId 'B1' -DatasetId $loyalty.Id -Path $loyaltyCsv -Mapping @{ a = 'b' } } |
            Should -Throw -ErrorId 'MappingNeedsConversion,Ingestion.PowerShell.Commands.SendIngestFileCommand'
    }
}
