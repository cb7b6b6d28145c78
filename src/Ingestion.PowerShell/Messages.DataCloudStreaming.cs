namespace Ingestion.PowerShell;

/// <summary>The cmdlets' texts about Data Cloud streaming ingestion.</summary>
internal static partial class Messages
{
    public const string TargetRecords = "records {0}-{1} ({2} records, {3} bytes) for {4}/{5}";
    public const string ActionSendRecords = "Upsert";
    public const string ActionValidateRecords = "Validate (nothing is stored)";
    public const string TargetRecordIds = "{0} records of {1}/{2} (ids '{3}' to '{4}')";
    public const string ActionDeleteRecords = "Delete";
    public const string BlankRecordId = "A record id is empty; it was skipped.";
    public const string NotAStreamRecord = "Input object {1} is a {0}, which has no properties to make a record of; it was not sent.";
    public const string NotAJsonNumber = "Field '{0}' is {1}, which JSON cannot carry: give a number or $null.";
    public const string RecordNotConverted = "Input object {0} could not be made a record: {1}";
    public const string ProgressSendRecordsActivity = "Sending records to {0}/{1}";
    public const string ProgressSendRecordsStatus = "{0} records packed, {1} accepted in {2} requests ({3})";
    public const string RecordsNotSent = "{0} of {1} records were not sent or not accepted; the errors name them by input index (0-based).";
    public const string ValidationIssues = "The service found {0} problems in {1} records.";
}
