namespace Ingestion.PowerShell;

/// <summary>The cmdlets' texts about Campaign Standard's XDM mapping ingestion.</summary>
internal static partial class Messages
{
    public const string TargetMapping = "XDM mapping '{0}'";
    public const string TargetMappingOnTenant = "XDM mapping '{0}' on Campaign tenant '{1}' (POST {2})";
    public const string ActionStartMappingIngest = "Start its ingestion into Experience Platform";
    public const string MappingAlreadyRunning = "An ingestion request for XDM mapping '{0}' is already in progress (request {1}); its id is returned and no second request was triggered.";
    public const string MappingIngestFailed = "Ingestion request {1} of XDM mapping '{0}' failed: {2}{3}";
    public const string MappingIngestFailedBatch = " (AEP batch '{0}': Get-IngestStatus -BatchId {0} shows its status and errors on a session that serves Experience Platform, one made with -Platform Aep -OrganizationId -Sandbox, plus -Tenant to serve Campaign too)";
    public const string MappingIngestAborted = "Ingestion request {1} of XDM mapping '{0}' was aborted: {2}{3} Submit a new request with Start-XdmMappingIngest -MappingId {0}.";
    public const string RequestIdTip = "mapping {0}, {1}";
    public const string MappingSubmitted = "XDM mapping '{0}': ingestion request {1} ({2}); follow it with Get-IngestStatus -MappingId {0} -RequestId {1}.";
    public const string TimeoutSecNeedsWait = "-TimeoutSec only limits -Wait; without -Wait it has no effect and the command returns at once.";
    public const string ProgressWaitMappingActivity = "Waiting for ingestion request {1} of XDM mapping '{0}'";

    // Connect-IngestService.
    public const string CampaignNeedsTenant = "-Platform Campaign needs -Tenant, the Campaign Standard instance id (as in mc.adobe.io/<instance>/campaign; stage instances end in '-mkt-stage').";
    public const string AepNeedsOrganization = "-Platform Aep needs -OrganizationId and -Sandbox (the IMS organization and the sandbox); for Campaign only, use -Platform Campaign -Tenant <instance>.";
    public const string CampaignOrganizationNeedsSandbox = "-Platform Campaign with -OrganizationId or -Sandbox opens a session that serves Experience Platform too, which needs both: give -OrganizationId and -Sandbox, or neither for Campaign only.";
    public const string CampaignServesAepToo = "-OrganizationId and -Sandbox were given: the session serves Campaign tenant '{0}' and Experience Platform organization '{1}', sandbox '{2}' (its Platform is Aep, as with -Platform Aep -Tenant).";
    public const string CampaignEndpointNeedsTenant = "-CampaignEndpoint is used for Campaign calls only: give -Tenant too.";
    public const string NotAepSession = "The session '{0}' was opened for Campaign only (-Platform Campaign): it has no Experience Platform organization and sandbox, so this command cannot use it.";
    public const string NotAepSessionAction = "Connect with Connect-IngestService -Platform Aep -OrganizationId <org> -Sandbox <sandbox> (add -Tenant <campaign instance> to serve Campaign with the same session), or pass such a session with -Session.";
    public const string NoCampaignTenant = "The session '{0}' has no Campaign tenant. Run Connect-IngestService -Platform Campaign -Tenant <instance> (or -Platform Aep ... -Tenant <instance> to serve both), or pass -Session.";
}
