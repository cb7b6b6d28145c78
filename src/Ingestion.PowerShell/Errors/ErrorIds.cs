namespace Ingestion.PowerShell.Errors;

/// <summary>
/// The ErrorId of every error the cmdlets write. Scripts match on these, so they never change once shipped;
/// PowerShell appends the command name (<c>NotFound,Ingestion.PowerShell.Commands.GetIngestStatusCommand</c>).
/// </summary>
public static class ErrorIds
{
    // Session and parameters.
    public const string NoSession = "NoSession";
    public const string MultiLineJsonNeedsJson = "MultiLineJsonNeedsJson";
    public const string NameNeedsSingleFile = "NameNeedsSingleFile";
    public const string InvalidTag = "InvalidTag";
    public const string InvalidRetryDelay = "InvalidRetryDelay";

    // Local files.
    public const string PathNotFound = "PathNotFound";
    public const string NotFileSystemPath = "NotFileSystemPath";
    public const string DirectoryNotSupported = "DirectoryNotSupported";
    public const string FileReadFailed = "FileReadFailed";
    public const string FileAccessDenied = "FileAccessDenied";

    // From the engine's IngestErrorKind.
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string PermissionDenied = "PermissionDenied";
    public const string InvalidArgument = "InvalidArgument";
    public const string NotFound = "NotFound";
    public const string InvalidState = "InvalidState";
    public const string RequestTimeout = "RequestTimeout";
    public const string WaitTimeout = "WaitTimeout";
    public const string RateLimited = "RateLimited";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string UnexpectedResponse = "UnexpectedResponse";
    public const string ServiceError = "ServiceError";

    // Datasets.
    public const string DatasetNotFound = "DatasetNotFound";

    // Conversion to Parquet and file checks.
    public const string InvalidData = "InvalidData";
    public const string DestinationExists = "DestinationExists";
    public const string DestinationNotDirectory = "DestinationNotDirectory";
    public const string SchemaConflict = "SchemaConflict";
    public const string MappingNeedsConversion = "MappingNeedsConversion";

    // Campaign Standard: the XDM mapping is not published or not stopped, so it cannot be triggered.
    public const string MappingNotReady = "MappingNotReady";
    // The trigger's answer never came: Campaign may have started a request, and the trigger was not sent again.
    public const string MappingTriggerUnconfirmed = "MappingTriggerUnconfirmed";
    public const string NoCampaignTenant = "NoCampaignTenant";
    // A session opened with -Platform Campaign given to a command that calls Experience Platform.
    public const string NotAepSession = "NotAepSession";
    public const string InvalidPlatformParameters = "InvalidPlatformParameters";

    // Error diagnostics.
    public const string DiagnosticsNotEnabled = "DiagnosticsNotEnabled";

    // The emulator.
    public const string EmulatorUnavailable = "EmulatorUnavailable";
    public const string EmulatorStartFailed = "EmulatorStartFailed";
    public const string NotAnEmulator = "NotAnEmulator";
    public const string UploadJournalNotFound = "UploadJournalNotFound";

    // Anything else.
    public const string OperationCanceled = "OperationCanceled";
    public const string UnexpectedError = "UnexpectedError";

    // Data Cloud streaming
    public const string RecordTooLarge = "RecordTooLarge";
    public const string NotARecord = "NotARecord";
    // Data Cloud bulk
    public const string JobLimitReached = "JobLimitReached";
    public const string JobFileLimitReached = "JobFileLimitReached";
    public const string NotDataCloudSession = "NotDataCloudSession";
}
