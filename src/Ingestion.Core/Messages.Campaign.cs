namespace Ingestion.Core;

/// <summary>The engine's texts about Campaign Standard's XDM mapping ingestion.</summary>
internal static partial class Messages
{
    public const string SessionHasNoAep = "This session was opened for Campaign only (-Platform Campaign): it has no AEP organization and sandbox.";
    public const string SessionHasNoAepAction = "Connect with -Platform Aep -OrganizationId <org> -Sandbox <sandbox> (add -Tenant <campaign instance> to serve Campaign with the same session).";
    public const string SessionHasNoTenant = "This session has no Campaign tenant, so it cannot reach Campaign Standard.";
    public const string SessionHasNoTenantAction = "Run Connect-IngestService with -Tenant <Campaign instance id> (with -Platform Campaign, or with -Platform Aep to serve both).";
    public const string TenantInvalid = "Tenant '{0}' is not a valid Campaign instance id: give the instance name as in mc.adobe.io/<instance>/campaign (letters, digits, '-', '_'; stage instances end in '-mkt-stage').";

    public const string OpStartMappingIngest = "Starting the ingestion of XDM mapping '{0}' on Campaign tenant '{1}'";
    public const string OpGetMappingIngest = "Reading ingestion request {1} of XDM mapping '{0}' on Campaign tenant '{2}'";
    public const string CampaignFailed = "{0} failed (HTTP {1}): {2}";
    public const string CampaignRefused = "{0} was refused: {1}";
    public const string CampaignNoInfo = "Campaign gave no reason";
    public const string CampaignNoRequestId = "{0}: Campaign answered '{1}' without a requestId.";
    public const string CampaignUnknownStatus = "{0}: Campaign answered the status '{1}', which the API does not document.";

    public const string MappingNotStoppedAction = "In Campaign Standard, open Administration > Development > Platform > Status of data export to platform, and stop the mapping '{0}' (it must be published and stopped for an on-demand ingestion); then run Start-XdmMappingIngest again.";
    public const string MappingNotPublishedAction = "In Campaign Standard, publish the XDM mapping '{0}', then stop it under Administration > Development > Platform > Status of data export to platform (it must be published and stopped for an on-demand ingestion); then run Start-XdmMappingIngest again.";
    public const string MappingNotFoundAction = "Check the XDM mapping id in Campaign Standard (Administration > Development > Platform > Data mappings) and the tenant given to Connect-IngestService -Tenant.";
    public const string TenantNotFoundAction = "Check -Tenant of Connect-IngestService: it is the Campaign instance id (as in mc.adobe.io/<instance>/campaign; stage instances end in '-mkt-stage'), not the IMS organization.";
    public const string CampaignPermissionAction = "Check that the credential's product profile includes Adobe Campaign and that its technical account has the 'SQL function execution' role in Campaign Standard.";
    public const string RequestNotFoundAction = "Check -MappingId and -RequestId; Start-XdmMappingIngest returns both.";

    public const string MappingTriggerUnconfirmed = "The answer to the trigger of XDM mapping '{0}' on Campaign tenant '{1}' never came, so Campaign may have started an ingestion request; the trigger was not sent again, so that it cannot start a second one. {2}";
    public const string MappingTriggerUnconfirmedAction = "Check the mapping '{0}' in Campaign Standard (Administration > Development > Platform > Status of data export to platform) before triggering it again. While a request runs, Start-XdmMappingIngest -MappingId {0} answers InProgress with its request id, which Get-IngestStatus -MappingId {0} -RequestId <id> -Wait follows; once it has ended, Start-XdmMappingIngest starts a new ingestion.";

    public const string MappingWaitTimedOut = "Ingestion request {1} of XDM mapping '{0}' is still '{2}' after {3:0} seconds.";
    public const string MappingWaitTimedOutAction = "Wait longer with -TimeoutSec, or check the request later with Get-IngestStatus -MappingId {0} -RequestId {1} (add -Wait to follow it).";
}
