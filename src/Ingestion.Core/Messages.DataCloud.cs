namespace Ingestion.Core;

/// <summary>The engine's texts about Salesforce Data Cloud: login, token exchange, bulk CSV jobs.</summary>
internal static partial class Messages
{
    // Login and token exchange. Never formatted with the assertion, a token or the key.
    public const string DcLoginFailed = "Salesforce login failed at {0} (HTTP {1}): {2} — {3}";
    public const string DcLoginUnreachable = "Salesforce login failed: {0} could not be reached: {1}";
    public const string DcLoginAction = "Check -ClientId (the connected app's consumer key), -UserName, the key or certificate (its certificate must be uploaded to the connected app) and -LoginUrl (https://test.salesforce.com for a sandbox); the app must be pre-authorized for the user.";
    public const string DcExchangeFailed = "Data Cloud token exchange failed at {0} (HTTP {1}): {2} — {3}";
    public const string DcExchangeUnreachable = "Data Cloud token exchange failed: {0} could not be reached: {1}";
    public const string DcExchangeAction = "Check that Data Cloud is provisioned for the org, that the connected app has the cdp_ingest_api and api scopes, and the -Dataspace name.";
    public const string DcUnexpectedAnswer = "{0} answered something that is not a token (Content-Type {1}).";
    public const string DcLoginStep = "Salesforce login";
    public const string DcExchangeStep = "Data Cloud token exchange";
    public const string DcNoDetail = "no description given";
    public const string DcCredentialsRefused = "Data Cloud refused the freshly renewed token of consumer key '{0}' (HTTP 401).";
    public const string DcTokenAcquired = "Data Cloud token acquired for {0} at {1}; valid for {2:0} s.";
    public const string DcTokenRenewedAfter401 = "Data Cloud answered 401: renewed the Data Cloud token and sent the request again.";

    // Keys.
    public const string DcKeyRequired = "Data Cloud needs a private key: give -PrivateKeyPath (a PEM file) or -Certificate (with its private key).";
    public const string DcKeyBoth = "Give either -PrivateKeyPath or -Certificate, not both.";
    public const string DcKeyNotFound = "The private key file '{0}' does not exist.";
    public const string DcKeyEncrypted = "The private key in '{0}' is encrypted; give an unencrypted PKCS#8 or PKCS#1 PEM key (for example: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-plain.pem), or a certificate with its private key.";
    public const string DcKeyUnreadable = "'{0}' holds no RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----): {1}";
    public const string DcCertificateNoKey = "The certificate '{0}' has no RSA private key; import it with its private key (a .pfx), or give -PrivateKeyPath.";

    // Session.
    public const string SessionIsDataCloud = "This session was opened for Salesforce Data Cloud (-Platform DataCloud): it has no AEP organization and sandbox, nor a Campaign tenant.";
    public const string SessionIsDataCloudAction = "Connect with -Platform Aep -OrganizationId <org> -Sandbox <sandbox> (or -Platform Campaign -Tenant <instance>) for Adobe's services.";
    public const string SessionNotDataCloud = "This session ({0}) is not connected to Salesforce Data Cloud.";
    public const string SessionNotDataCloudAction = "Connect with Connect-IngestService -Platform DataCloud -ClientId <consumer key> -UserName <user> -PrivateKeyPath <key.pem>.";

    // Service errors.
    public const string DcServiceError = "{0} failed (HTTP {1}){2}: {3}";
    public const string DcRateLimitedWaiting = "Data Cloud answered 429 to {0}: waiting {1:0.#} s before trying again (attempt {2} of {3}).";
    public const string DcRateLimitedAction = "Data Cloud limits how many requests and jobs run at once; wait and run the command again, or raise -MaxRetries of Connect-IngestService.";

    // A create or upload whose answer was lost.
    public const string DcCreateMayExist = "{0} The job may have been created anyway, and looking for it failed: {1}";
    public const string DcCreateMayExistAction = "Before creating another job, look for an Open job of object '{0}' and source '{1}' with Get-IngestBatch -State Open; if it is there, use its Id (or abort it with Stop-IngestBatch: it holds one of the 5 job slots).";
    public const string DcCreateReconciled = "The answer to the job creation was lost, but Data Cloud job {0} for object '{1}' of source '{2}' was created by it: using that job.";
    public const string DcCreateRetrying = "{0} No job was created by it; sending the creation again in {1:0.#} s (attempt {2} of {3}).";
    public const string DcUploadMayHaveArrived = "Data Cloud may have received '{0}' anyway: it is not sent again to job {1}, since a second upload would add its rows twice.";
    public const string DcUploadMayHaveArrivedAction = "Abort the job (Stop-IngestBatch) and send all its files to a new job; the job is aborted for you unless -KeepOpenOnError was given.";

    // Operations (the first part of an error message).
    public const string OpCreateJob = "Creating a Data Cloud {0} job for object '{1}' of source '{2}'";
    public const string OpGetJob = "Reading Data Cloud job {0}";
    public const string OpListJobs = "Listing Data Cloud jobs";
    public const string OpCloseJob = "Closing Data Cloud job {0} (UploadComplete)";
    public const string OpAbortJob = "Aborting Data Cloud job {0}";
    public const string OpDeleteJob = "Deleting Data Cloud job {0}";
    public const string OpUploadJob = "Uploading '{1}' to Data Cloud job {0}";

    // Jobs.
    public const string DcJobNotDeletable = "Data Cloud job {0} is '{1}': only jobs in UploadComplete, JobComplete, Aborted or Failed can be deleted.";
    public const string DcJobNotDeletableAction = "Close the job with Complete-IngestBatch or abort it with Stop-IngestBatch, then remove it.";
    public const string DcJobNotOpen = "Data Cloud job {0} is '{1}': files can only be added while it is Open.";
    public const string DcJobNotOpenAction = "Create a new job with New-IngestBatch -Object <object> -SourceName <source>.";
    public const string DcJobFileLimit = "Data Cloud job {0} already has {1} files, the most one job takes; '{2}' was not sent.";
    public const string DcJobFileLimitService = "Data Cloud refused '{2}': job {0} already holds {1} files (some sent by another command or process), the most one job takes. Its files were kept.";
    public const string DcServiceFileLimit = "Data Cloud says job {0} is full ({1}): not aborting it.";
    public const string DcUploadCancelled = "Sending '{0}' was stopped (Ctrl+C).";
    public const string DcJobAlreadyClosed = "Data Cloud job {0} is already '{1}': it was closed before; not closing it again.";
    public const string DcJobFileLimitAction = "Close this job with Complete-IngestBatch and send the remaining files to a new one, or run Send-IngestFile with -AutoSplitJobs.";
    public const string DcJobContinued = "Data Cloud job {0} has {1} files, the most one job takes: closed it (UploadComplete) and continued in the new job {2}.";
    public const string DcJobAbortedAfterFailure = "Sending '{1}' to Data Cloud job {0} failed, so the job was aborted (use -KeepOpenOnError to keep it open).";
    public const string DcJobAbortFailed = "Sending '{1}' to Data Cloud job {0} failed and aborting the job failed too: {2}";
    public const string DcUnknownJobAnswer = "{0}: Data Cloud answered a job without an id.";
    public const string DcWaitTimedOut = "Data Cloud job {0} is still '{1}' after {2:0} seconds.";
    public const string DcWaitTimedOutAction = "Wait longer with -TimeoutSec, or check the job later with Get-IngestStatus.";
    public const string DcInvalidState = "'{0}' is not a Data Cloud job state; use Open, UploadComplete, InProgress, JobComplete, Failed or Aborted.";

    // Client-side job limits.
    public const string DcLimitOpen = "{0} Data Cloud jobs of this session are open or processing (Open, UploadComplete or InProgress), the most Data Cloud runs at once";
    public const string DcLimitHourly = "This session created {0} Data Cloud jobs in the last hour, the most Data Cloud allows";
    public const string DcLimitFreesAt = "{0}; a slot frees at {1:u}.";
    public const string DcLimitFreesOnClose = "{0}; a slot frees when one of them finishes processing (JobComplete or Failed), is aborted (Stop-IngestBatch) or removed.";
    public const string DcLimitNoneFreeing = "{0}, and all of them are Open, so none will free a slot on its own: {1}.";
    public const string DcLimitTimedOut = "No Data Cloud job slot freed within {0:0} s: {1}";
    public const string DcLimitServiceWait = "Data Cloud refused the job creation with HTTP 429 (too many jobs running or created in the last hour, counting other clients); trying again in {0:0} s, at {1:u}.";
    public const string DcLimitWaiting = "Waiting for a job slot: {0}";
    public const string DcLimitReachedAction = "Close (Complete-IngestBatch) or abort (Stop-IngestBatch) open jobs, wait, or run the command without -NoWait (and with a larger -TimeoutSec) to wait for a slot.";

    // CSV checks.
    public const string DcCsvEmpty = "'{0}' is empty: a Data Cloud CSV needs {1}.";
    public const string DcCsvNeedsHeader = "a header row and at least one data row";
    public const string DcCsvNeedsRows = "at least one row";
    public const string DcCsvNoRows = "'{0}' has a header row but no data rows.";
    public const string DcCsvNotUtf8 = "'{0}' is not valid UTF-8 (line {1}): Data Cloud takes UTF-8 only.";
    public const string DcCsvNotUtf8Action = "Give the file's encoding with -Encoding (for example -Encoding latin1 or utf-16) so it is converted to UTF-8 before sending.";
    public const string DcCsvDelimiter = "'{0}' seems to use '{1}' as delimiter (its first line has {2} of them and {3} commas outside quotes): Data Cloud takes comma-separated files only.";
    public const string DcCsvFieldCount = "'{0}': the first data row has {1} fields but the header row has {2}; check the delimiter (Data Cloud takes commas only) and the quoting.";
    public const string DcCsvEmptyColumn = "'{0}': column {1} of the header row has no name.";
    public const string DcCsvDuplicateColumn = "'{0}': the header row names column '{1}' twice.";
    public const string DcCsvUnclosedQuote = "'{0}': a quoted field opened on line {1} is never closed.";
    public const string DcCsvRowTooLarge = "'{0}': the row on line {1} alone is larger than {2:N0} bytes, the most one upload takes.";
    public const string DcCsvSplit = "'{0}' is larger than {1:N0} bytes: sending it as {2} parts{3}.";
    public const string DcCsvSplitHeader = ", each with the header row";
    public const string DcPartOf = "{0} (part {1} of {2})";
    public const string DcCsvTranscoded = "'{0}' converted from {1} to UTF-8 before sending.";
    public const string DcEncodingUnknown = "'{0}' is not an encoding this system knows; use a name such as utf-8, utf-16, utf-16BE, utf-32, latin1, ascii or a code page number.";
}
