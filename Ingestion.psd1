# The source of the staged manifest (artifacts/module/Ingestion/Ingestion.psd1, copied as it is) and the one version
# source. FormatsToProcess and the assemblies resolve only next to the staged files: run Test-ModuleManifest on that copy.
@{
    RootModule             = 'Ingestion.PowerShell.dll'
    # Imported before the root module: puts the engine and Polly into a private AssemblyLoadContext.
    NestedModules          = @('Ingestion.Loader.dll')
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core')
    GUID                   = '5b0a8c1e-7f43-4b8e-9d0c-2f6a4e1c9a37'
    Author                 = 'Ingestion contributors'
    CompanyName            = 'Ingestion'
    Copyright              = '(c) Ingestion contributors. All rights reserved.'
    Description            = 'Moves data into customer-data platforms: Adobe Experience Platform batch ingestion, Adobe Campaign Standard XDM mapping ingestion and the Salesforce Data Cloud Ingestion API, with a local emulator to try them without an account.'
    PowerShellVersion      = '7.4'
    FormatsToProcess       = @('Ingestion.format.ps1xml')
    CmdletsToExport        = @(
        'Complete-IngestBatch'
        'Connect-IngestService'
        'ConvertTo-IngestParquet'
        'Disconnect-IngestService'
        'Get-IngestBatch'
        'Get-IngestDataset'
        'Get-IngestError'
        'Get-IngestParquetInfo'
        'Get-IngestStatus'
        'Get-IngestUpload'
        'Import-IngestParquet'
        'New-IngestBatch'
        'New-IngestDataset'
        'Remove-IngestBatch'
        'Remove-IngestRecord'
        'Remove-IngestUpload'
        'Send-IngestFile'
        'Send-IngestRecord'
        'Start-IngestEmulator'
        'Start-XdmMappingIngest'
        'Stop-IngestBatch'
        'Stop-IngestEmulator'
        'Test-IngestFile'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('AEP', 'AdobeExperiencePlatform', 'AdobeCampaign', 'Salesforce', 'DataCloud', 'Ingestion', 'Batch', 'CDP', 'Emulator', 'Parquet')
            ProjectUri   = 'https://github.com/ingestion-module/Ingestion'
            LicenseUri   = 'https://github.com/ingestion-module/Ingestion/blob/main/LICENSE'
            ReleaseNotes = 'First release: Adobe Experience Platform batch ingestion end to end (chunked, parallel and resumable uploads of large files, Parquet conversion), Adobe Campaign Standard XDM mapping ingestion, Salesforce Data Cloud bulk and streaming ingestion, and a local emulator of all three with fault injection.'
        }
    }
}
