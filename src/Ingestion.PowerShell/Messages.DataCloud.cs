namespace Ingestion.PowerShell;

/// <summary>The cmdlets' texts about Salesforce Data Cloud bulk jobs.</summary>
internal static partial class Messages
{
    // Connect-IngestService.
    public const string DataCloudNeedsUser = "-Platform DataCloud needs -ClientId (the connected app's consumer key), -UserName and -PrivateKeyPath or -Certificate.";
    public const string AdobeNeedsSecret = "-Platform {0} needs -ClientSecret (or -Credential).";

    // Session checks.
    public const string NotDataCloudSession = "The session '{0}' is not connected to Salesforce Data Cloud. Run Connect-IngestService -Platform DataCloud -ClientId <consumer key> -UserName <user> -PrivateKeyPath <key.pem>, or pass -Session.";
    public const string DataCloudParametersNeedDataCloud = "-Object, -SourceName, -Operation and -NoWait create a Data Cloud job: the session '{0}' is not connected to Data Cloud.";
    public const string DatasetNeedsAdobe = "The session '{0}' is connected to Salesforce Data Cloud: create a job with New-IngestBatch -Object <object> -SourceName <connector>.";
    public const string DataCloudSendParameters = "-{0} applies to Data Cloud jobs only; the session '{1}' is not connected to Data Cloud.";
    public const string AdobeSendParameters = "-{0} applies to AEP batches only; the session '{1}' is connected to Salesforce Data Cloud.";

    // New-IngestBatch / Send-IngestFile.
    public const string TargetDataCloudObject = "Data Cloud object '{0}' of source '{1}'";
    public const string ActionNewDataCloudJob = "Create a {0} job";
    public const string TargetDataCloudJob = "Data Cloud job '{0}'";
    public const string ActionDeleteJob = "Delete the Data Cloud job";
    public const string ActionSendCsv = "Send '{0}'";
    public const string DataCloudJobWaitActivity = "Creating a Data Cloud job";
    public const string DataCloudJobWaitStatus = "Waiting for a job slot: {0}";
    public const string DataCloudJobSkipped = "'{0}' was not sent: Data Cloud job {1} was aborted after an earlier file failed.";
    public const string DataCloudJobNotPassedOn = "Data Cloud job '{0}' is not passed on: {1} of the files meant for it could not be sent, and closing it would process it without them. Send them again, then close it with Complete-IngestBatch, or abort it with Stop-IngestBatch.";
    public const string ProgressWaitJobActivity = "Waiting for Data Cloud job {0}";
    public const string ProgressWaitJobStatus = "{0} ({1} elapsed)";
    public const string DataCloudJobNotSuccessful = "Data Cloud job {0} ended '{1}'.";
}
