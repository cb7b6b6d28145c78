namespace Ingestion.Core;

/// <summary>The engine's texts about Data Cloud streaming ingestion.</summary>
internal static partial class Messages
{
    public const string OpSendRecords = "Sending records {0}-{1} to {2}/{3}";
    public const string OpValidateRecords = "Validating records {0}-{1} against {2}/{3}";
    public const string OpDeleteRecords = "Deleting {0} records from {1}/{2}";
    public const string RecordsNotAccepted = "Records {0}-{1} were not accepted by {2}/{3}: {4}";
    public const string StreamNotAccepted = "{0}: the service answered 202 but did not accept the records: {1}";
    public const string RecordTooLarge = "Record {0} takes {1} bytes in a request body, which must stay under {2} bytes (200 KB): it was not sent.";
    public const string RecordTooLargeLabelled = "Record {0} ('{1}') takes {2} bytes in a request body, which must stay under {3} bytes (200 KB): it was not sent.";
    public const string RecordTooLargeAction = "Shorten the record's fields, or load large records with a bulk job (CSV, up to 150 MB a file).";
    public const string StreamConcurrencyOutOfRange = "MaxConcurrency {0} is out of range: 1 to {1} requests in flight.";
    public const string StreamRateOutOfRange = "RequestsPerSecond {0} is out of range: 1 to {1} (the service's cap).";
    public const string StreamNameBlank = "{0} must not be empty.";
    public const string DeleteGroupSize = "A delete request takes 1 to {1} ids, not {0}.";
    public const string DeleteBlankId = "A record id to delete is empty.";
    public const string ValidationRefusedNoReason = "The service refused the records without giving a reason.";
    public const string ValidationUnexpected = "The validation answer is not a JSON object: {0}";
}
