namespace Ingestion.PowerShell;

/// <summary>The cmdlets' texts about Campaign Standard's XDM mapping ingestion.</summary>
internal static partial class Messages
{
    public const string TargetMapping = "XDM mapping '{0}'";
    public const string ActionStartMappingIngest = "Start its ingestion into Experience Platform";
    public const string MappingAlreadyRunning = "An ingestion request for XDM mapping '{0}' is already in progress (request {1}); its id is returned and no second request was triggered.";
    public const string MappingIngestFailed = "Ingestion request {1} of XDM mapping '{0}' failed: {2}{3}";
    public const string MappingIngestFailedBatch = " (AEP batch '{0}': Get-IngestStatus -BatchId {0} or Get-IngestError -BatchId {0} shows it)";
    public const string MappingIngestAborted = "Ingestion request {1} of XDM mapping '{0}' was aborted: {2} Submit a new request with Start-XdmMappingIngest -MappingId {0}.";
    public const string ProgressWaitMappingActivity = "Waiting for ingestion request {1} of XDM mapping '{0}'";

    // Connect-IngestService.
    public const string CampaignNeedsTenant = "-Platform Campaign needs -Tenant, the Campaign Standard instance id (as in mc.adobe.io/<instance>/campaign; stage instances end in '-mkt-stage').";
    public const string AepNeedsOrganization = "-Platform Aep needs -OrganizationId and -Sandbox (the IMS organization and the sandbox); for Campaign only, use -Platform Campaign -Tenant <instance>.";
    public const string CampaignEndpointNeedsTenant = "-CampaignEndpoint is used for Campaign calls only: give -Tenant too.";
    public const string NoCampaignTenant = "The session '{0}' has no Campaign tenant. Run Connect-IngestService -Platform Campaign -Tenant <instance> (or -Platform Aep ... -Tenant <instance> to serve both), or pass -Session.";
}
