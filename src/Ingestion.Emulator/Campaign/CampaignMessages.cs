using System.Globalization;

namespace Ingestion.Emulator.Campaign;

/// <summary>
/// Every text and status the Campaign XDM ingestion endpoints answer. The trigger texts are Adobe's documented ones;
/// the 404/400 texts and the status <c>info</c> of success and abort are the emulator's (Adobe documents none).
/// </summary>
internal static class CampaignMessages
{
    public const string Success = "Success";
    public const string InProgress = "In Progress";
    public const string Failed = "Failed";
    public const string Aborted = "Aborted";

    public static string Submitted(string mappingId) => $"Ingestion request submitted successfully for the Mapping ID: {mappingId}";

    public static string AlreadyInProgress(string mappingId) => $"Ingestion request already in progress for the Mapping ID: {mappingId}";

    public static string NotStopped(string mappingId) => $"Unable to submit data ingestion request, XDM Mapping ID: {mappingId} is not stopped";

    public static string NotPublished(string mappingId) => $"Unable to submit data ingestion request, XDM Mapping ID: {mappingId} is not published";

    public static string UnknownTenant(string tenant) => $"Unknown Campaign instance '{tenant}'.";

    public static string UnknownMapping(string mappingId) => $"XDM Mapping ID: {mappingId} does not exist";

    public const string RequestIdRequired = "requestId is required: send it as the query parameter ?requestId=<the requestId the trigger answered>";

    public static string InvalidRequestId(string value) => $"requestId is required as a whole number, not '{value}'";

    public static string UnknownRequest(long requestId, string mappingId) =>
        $"Request ID: {requestId.ToString(CultureInfo.InvariantCulture)} does not exist for the Mapping ID: {mappingId}";

    public static string Running(string mappingId) => $"Ingestion request in progress for the Mapping ID: {mappingId}";

    public static string Completed(string mappingId) => $"Ingestion completed successfully for the Mapping ID: {mappingId}";

    public static string Failure(string errorCode, string message) => $"{errorCode} {message}";

    public static string Abort(string mappingId, long? afterRecords) => afterRecords is { } records
        ? $"Ingestion request aborted for the Mapping ID: {mappingId} after {records.ToString(CultureInfo.InvariantCulture)} records"
        : $"Ingestion request aborted for the Mapping ID: {mappingId}";
}
