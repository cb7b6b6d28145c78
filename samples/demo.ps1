#Requires -Version 7.4
<#
.SYNOPSIS
    The whole AEP batch flow against the local emulator, on the sample data in this folder.
.DESCRIPTION
    Starts the emulator, connects, creates two datasets on the emulator's built-in schemas, ingests
    profiles.json (XDM profiles, a multi-line JSON array) and loyalty.csv (flat CSV), waits for both
    batches and prints their final status with record counts. Stops the emulator at the end.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../artifacts/module/Ingestion/Ingestion.psd1'),
    [string] $DataDirectory = (Join-Path ([IO.Path]::GetTempPath()) "ingestion-demo-$PID")
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$emulator = Start-IngestEmulator -DataDirectory $DataDirectory
try {
    $emulator | Connect-IngestService
    Write-Host "Connected to the emulator at $($emulator.Endpoint)"

    $profiles = New-IngestDataset -Name 'Demo profiles' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-profile'
    $loyalty = New-IngestDataset -Name 'Demo loyalty (CSV)' -SchemaId 'https://ns.adobe.com/emulator/schemas/demo-loyalty-csv'

    $results = @(
        New-IngestBatch -DatasetId $profiles.Id -Format Json -MultiLineJson |
            Send-IngestFile -Path (Join-Path $PSScriptRoot 'profiles.json') -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 120

        New-IngestBatch -DatasetId $loyalty.Id -Format Csv |
            Send-IngestFile -Path (Join-Path $PSScriptRoot 'loyalty.csv') -PassThru |
            Complete-IngestBatch -Wait -TimeoutSec 120
    )
    $names = @{ $profiles.Id = $profiles.Name; $loyalty.Id = $loyalty.Name }
    $results |
        Select-Object @{ n = 'Dataset'; e = { $names[$_.DatasetId] } }, @{ n = 'Batch'; e = { $_.Id } }, Status, Records, FailedRecords |
        Format-Table -AutoSize | Out-Host

    $failed = @($results | Where-Object { -not $_.IsSuccess })
    if ($failed) {
        $failed | ForEach-Object { $_.Errors } | Out-Host
        exit 1
    }
}
finally {
    Disconnect-IngestService -ErrorAction SilentlyContinue
    $emulator | Stop-IngestEmulator -Confirm:$false
    Remove-Item -LiteralPath $DataDirectory -Recurse -Force -ErrorAction SilentlyContinue
}
