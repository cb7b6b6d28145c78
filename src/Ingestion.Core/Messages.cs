namespace Ingestion.Core;

/// <summary>Every user-facing text of the engine, in one place. Placeholders are positional.</summary>
internal static partial class Messages
{
    public const string ImsUnreachable = "Could not reach Adobe IMS at {0} to get an access token: {1}";
    public const string ImsUnreachableAction = "Check the network and the IMS endpoint; behind a proxy, set HTTPS_PROXY.";
    public const string ImsRefused = "Adobe IMS refused the credentials of client id '{0}' (HTTP {1}): {2}: {3}";
    public const string ImsRefusedAction = "Check the client id, client secret and scopes of the OAuth Server-to-Server credential in Adobe Developer Console.";
    public const string ImsFailed = "Adobe IMS could not issue a token for client id '{0}' (HTTP {1}): {2}: {3}";
    public const string ImsUnexpectedAnswer = "Adobe IMS at {0} answered {1} without a usable access_token and expires_in: is it the IMS endpoint (-ImsEndpoint, -Endpoint)?";
    public const string NoContentType = "a body without a content type";
    public const string TokenRenewedAfter401 = "The platform refused the access token (401); fetched a new one and sent the request again.";

    public const string Retrying = "{0} {1} failed ({2}); attempt {3} of {4} in {5:0.0} s.";
    public const string AttemptOf = " (attempt {0} of {1})";
    public const string OverallTimeoutReached = "the call did not finish within its overall limit of {0:0} s (-OverallTimeoutSec) after {1} attempt(s)";
    public const string ServiceError = "{0} failed: HTTP {1} {2}{3}: {4}";
    public const string NoErrorDetail = "the service gave no detail";
    public const string AfterAttempts = "Gave up after {0} attempts.";
    public const string GaveUpWithSettings = "Gave up after {0} attempts (Connect-IngestService -MaxRetries {1} -RetryDelay {2:c} -TimeoutSec {3:0.###} -OverallTimeoutSec {4:0.###}); connect again with higher values to keep trying longer.";
    public const string GaveUpNameSettings = "Gave up after {0} attempts; connect again with a higher -MaxRetries, -RetryDelay or -TimeoutSec (Connect-IngestService) to keep trying longer.";
    public const string AttemptTimedOut = "{0} timed out after {1:0} ms{2}";
    public const string AttemptCancelled = "{0} cancelled after {1:0} ms{2}";
    public const string HtmlInsteadOfJson = "the service answered with an HTML page instead of JSON (a proxy, a gateway error page or a wrong endpoint)";
    public const string TransportTimeout = "{0} timed out: {1}";
    public const string TransportFailed = "{0} failed: the connection did not complete: {1}";
    public const string ActionAuthentication = "Run Connect-IngestService again with valid credentials.";
    public const string ActionPermission = "Check that the credential's product profile grants access to this sandbox and organization.";
    public const string ActionRetries = "The service kept failing; try again later, or raise -MaxRetries, -RetryDelay, -TimeoutSec (per attempt) or -OverallTimeoutSec of Connect-IngestService.";
    public const string CredentialsRefused = "The platform refused a freshly issued token for client id '{0}' (401 twice): the credential is not entitled to this organization or sandbox.";

    public const string MaxRetriesOutOfRange = "MaxRetries {0} is out of range: give 0 to {1}.";
    public const string RetryDelayOutOfRange = "RetryDelay {0} is out of range: give a delay from zero to one day.";
    public const string AttemptTimeoutOutOfRange = "TimeoutSec {0} is out of range: give a time per attempt from 10 milliseconds to one day.";
    public const string OverallTimeoutOutOfRange = "OverallTimeoutSec {0} is out of range: give a time per call from 10 milliseconds to one day.";
    public const string EndpointNotHttps = "Endpoint '{0}' must use HTTPS; only loopback addresses (the emulator) may use plain HTTP.";
    public const string EndpointNotAbsolute = "Endpoint '{0}' is not an absolute http(s) URI.";
    public const string ValueRequired = "{0} must not be empty.";
    public const string SandboxLowercase = "Sandbox '{0}' is not a valid sandbox name: AEP sandbox names are lowercase letters, digits and hyphens (for example 'prod').";

    public const string RemoteNameEmpty = "The remote file name is empty.";
    public const string RemoteNameTooLong = "The remote file name '{2}…' is {0} characters long; at most {1} are allowed.";
    public const string RemoteNameBlank = "The remote file name '{0}' is blank (white space only); give a name with visible characters.";
    public const string RemoteNameBadSegment = "The remote file name '{0}' has an empty, blank, '.' or '..' folder segment; use forward slashes between non-empty folder names.";
    public const string RemoteNameControlChar = "The remote file name '{0}' contains a control character (code {1}).";
    public const string RemoteNameBackslash = "The remote file name '{0}' contains a backslash; separate folders with '/'.";

    public const string IdInvalid = "{0} '{1}' is not a valid id: ids are 1 to 128 letters, digits, '-', '_' or '.'.";
    public const string FileNotFound = "File '{0}' does not exist.";
    public const string FileVanished = "File '{0}' could not be read for the upload: {1}";
    public const string FileChangedDuringUpload = "File '{0}' changed size during the upload (expected {1:N0} bytes, read {2:N0}); nothing was kept on the server for it. Upload it again once it is no longer being written.";

    public const string OpCreateBatch = "Creating a batch for dataset '{0}'";
    public const string OpUploadFile = "Uploading '{0}' to batch '{1}'";
    public const string BatchNotLoadingForUpload = "Batch '{0}' is {1}, not loading: no file can be uploaded to it any more.";
    public const string OpInitializeLargeFile = "Starting the chunked upload of '{0}' to batch '{1}'";
    public const string OpUploadChunk = "Uploading bytes {1:N0}-{2:N0} of '{0}' to batch '{3}'";
    public const string OpCheckLargeFile = "Asking which bytes of '{0}' batch '{1}' already holds";
    public const string ResumeFileChanged = "'{0}' changed since its interrupted upload to batch '{1}' (size or last write time differ): sending all of it again.";
    public const string UploadInProgressElsewhere = "'{0}' is already being uploaded to '{1}' in batch '{2}' by another command or process; wait for it to finish (or stop it) and run this again to resume from where it got.";
    public const string ResumeKeepsChunkSize = "Resuming '{0}' in the {1:N0}-byte chunks of its interrupted upload, not {2:N0}.";

    public const string ResumingUpload = "Resuming the upload of '{0}' to batch '{1}': {2} of {3} chunks are already there.";
    public const string OpCompleteLargeFile = "Completing the chunked upload of '{0}' to batch '{1}'";
    public const string LargeFileCompletedEarlier = "Completing '{0}' in batch '{1}' was refused, but the service holds all {2} bytes: an earlier attempt or run completed the file and its answer was lost.";
    public const string OpBatchAction = "{0} of batch '{1}'";
    public const string OpGetBatch = "Reading the status of batch '{0}'";
    public const string OpCreateDataset = "Creating dataset '{0}'";
    public const string OpGetDataset = "Reading dataset '{0}'";
    public const string DatasetReconciled = "Creating dataset '{0}' got no usable answer, but the Catalog now holds a new dataset of that name and schema, '{1}': that is the one this call made.";
    public const string DatasetCreateListingFailed = "Dataset '{0}' was not created: the datasets of that name are listed first, so that a create whose answer is lost can be told from a duplicate, and that failed: {1}";
    public const string DatasetCreateNotMade = "No new dataset named '{0}' was found in the Catalog afterwards, so it was most likely not created; Get-IngestDataset -Name '{0}' shows what exists.";
    public const string DatasetCreateLookupFailed = "{1} Dataset '{0}' may have been created before the answer was lost, and looking for it failed too ({2}).";
    public const string DatasetCreateAmbiguous = "{1} The dataset may have been created: since this call began, more than one dataset named '{0}' on this schema appeared ('{2}'), so which one is this call's is not known.";
    public const string DatasetCreateCheckAction = "Run Get-IngestDataset -Name '{0}' to see whether the dataset exists before creating it again; creating it again may make a duplicate.";
    public const string OpListDatasets = "Listing datasets";
    public const string OpListBatches = "Listing recent batches";
    public const string BatchCreateLookupFailed = "Creating a batch for dataset '{0}' may or may not have reached the service ({1}), and looking it up by externalId '{2}' failed too ({3}). The batch may exist: look in the Catalog for a batch with externalId '{2}' (GET /batches?externalId={2}) before creating another.";
    public const string BatchCreateGaveUp = "{0} No batch with externalId '{1}' was found in the Catalog, so none was created.";
    public const string BatchReconciled = "Creating a batch for dataset '{0}' may not have been answered; the Catalog holds batch '{1}' with externalId '{2}', so it was reconciled to that batch instead of creating another.";
    public const string OpFindBatchByExternalId = "Looking up the batch with externalId '{0}'";
    public const string UnexpectedBody = "{0}: the service answered HTTP {1} with a body that is not what the API documents.";
    public const string UnexpectedBodyFrom = "{0}: {2} answered HTTP {1} with {3}, not the JSON the API documents: is -Endpoint the platform's?";
    public const string BatchMissingFromCatalog = "Catalog answered for batch '{0}' without that batch in the response.";
    public const string WaitTimedOut = "Batch '{0}' is still '{1}' after {2:0} seconds.";
    public const string WaitOptionsInvalid = "Wait intervals must be positive and Growth at least 1.";
    public const string WaitTimedOutAction = "Wait longer with -TimeoutSec, or check the batch later with Get-IngestStatus.";

    public const string OpGetSchema = "Reading schema '{0}'";
    public const string OpListSchemas = "Listing schemas";
    public const string OpCreateSchema = "Creating schema '{0}'";
    public const string SchemaMayExist = "Schema '{0}' may have been created before the answer was lost.";
    public const string SchemaMayExistAction = "Look for a tenant schema titled '{0}' (GET /data/foundation/schemaregistry/tenant/schemas) before creating it again; creating it again may make a duplicate.";
    public const string SchemaIdInvalid = "SchemaId '{0}' is not valid: give the schema's $id or meta:altId, at most {1} characters, without control characters or surrounding spaces.";
    public const string DatasetWithoutSchema = "Dataset '{0}' names no schema (its schemaRef has no id).";

    public const string OpListFailedFiles = "Listing the failed files of batch '{0}'";
    public const string OpDownloadFailedFile = "Downloading failed file '{0}' of batch '{1}'";
    public const string OpListMeta = "Listing diagnostics '{0}' of batch '{1}'";
    public const string OpReadRowErrors = "Reading row errors '{0}' of batch '{1}'";
    public const string DiagnosticsNotEnabled = "Batch '{0}' was created without error diagnostics, so the platform kept no row-level errors for it.";
    public const string DiagnosticsNotEnabledAction = "Create the batch again with error diagnostics (New-IngestBatch -ErrorDiagnostics), send the files again and complete it; its row-level errors can then be read.";
    public const string RowErrorFileUnreadable = "Row errors '{0}' of batch '{1}' could not be read: {2}.";
    public const string RowErrorNotAnObject = "Line {1} of '{0}' is not a JSON object the diagnostics API documents; it is kept as the record.";

    public const string CsvBadDelimiter = "'{0}' cannot be a CSV delimiter: use a single ASCII character other than a quote or a line break.";
    public const string CsvInvalidUtf8 = "CSV file '{0}', line {1}: the bytes are not valid UTF-8. Give the file's encoding with -Encoding (for example windows-1252 or iso-8859-1).";
    public const string CsvUndecodable = "CSV file '{0}', near line {1}: the bytes are not valid in the given encoding: {2}";
    public const string CsvUnclosedQuote = "CSV file '{0}', line {1}: a quoted field is never closed.";
    public const string CsvStrayQuote = "CSV file '{0}', line {1}, field {2}: a quote inside an unquoted field; quote the whole field and double the quotes inside it.";
    public const string CsvTextAfterQuote = "CSV file '{0}', line {1}, field {2}: text after the closing quote; a quoted field must end at a delimiter or a line break.";
    public const string CsvRecordTooLarge = "CSV file '{0}', line {1}: the record is longer than {2:N0} bytes; a quote is probably left open.";

    public const string JsonArrayNotLines = "JSON file '{0}' is a JSON array, but JSON Lines (one object per line) was expected. For a batch, create it with -MultiLineJson; or convert the file to JSON Lines.";
    public const string JsonNotAnArray = "JSON file '{0}', line {1}: a JSON array was expected, but the file does not start with '['.";
    public const string JsonArrayUnclosed = "JSON file '{0}', line {1}: the file ends before the array's closing ']'.";
    public const string JsonTextAfterArray = "JSON file '{0}', line {1}: there is text after the array's closing ']'.";
    public const string JsonMissingComma = "JSON file '{0}', line {1}: a ',' or ']' was expected between the array's elements.";
    public const string JsonTruncated = "JSON file '{0}', line {1}: the file ends in the middle of a value.";
    public const string JsonInvalid = "JSON file '{0}', line {1}: not valid JSON: {2}";
    public const string JsonRecordNotObject = "JSON file '{0}', line {1}: record {2} is a {3}, not an object; every record must be a JSON object.";
    public const string JsonRecordTooLarge = "JSON file '{0}', line {1}: a record is longer than {2:N0} bytes.";
}
