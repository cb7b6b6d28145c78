namespace Ingestion.PowerShell;

/// <summary>Every text the cmdlets show, in one place. Placeholders are positional.</summary>
internal static partial class Messages
{
    // Sessions.
    public const string SessionClosed = "The session '{0}' was closed by Disconnect-IngestService. Run Connect-IngestService again and use the session it returns.";
    public const string EmptyFileNotSent = "'{0}' is empty and was not sent to batch '{1}': AEP fails a batch that holds an empty file.";
    public const string OtherModuleCopyLoaded = "This Ingestion module was imported from '{0}', but this process already runs the module's assemblies and engine from '{1}', and .NET cannot load a second copy: the command runs that copy's code. Start a new pwsh and import only '{0}' to use it.";
    public const string NoSession = "There is no connection to a platform. Run Connect-IngestService first (for a local try: Start-IngestEmulator | Connect-IngestService), or pass -Session.";
    public const string Connected = "Connected: {0}.";
    public const string Disconnected = "Disconnected: {0}.";
    public const string NothingToDisconnect = "There is no default session to disconnect.";

    // ShouldProcess: targets name the resolved object, actions say what happens to it.
    public const string TargetDataset = "dataset '{0}'";
    public const string TargetBatch = "batch '{0}'";
    public const string TargetFile = "'{0}' into batch '{1}'";
    public const string TargetEmulator = "emulator process {0} (data in '{1}')";
    public const string TargetEmulatorDirectory = "emulator with data in '{0}'";
    public const string TargetEmulatorProcess = "emulator process {0}";
    public const string ActionNewBatch = "Create a {0} batch";
    public const string ActionNewDataset = "Create on schema '{0}'";
    public const string ActionNewUpsertDataset = "Create on schema '{0}', enabled for Profile upserts";
    public const string ActionUpload = "Upload as '{0}'";

    public const string ActionResume = "Resume the upload as '{0}' ({1} of {2} chunks already confirmed)";

    public const string ResumeFileGone = "The file '{0}' of the unfinished upload as '{1}' into batch '{2}' no longer exists; Remove-IngestUpload discards its journal.";

    public const string ResumeNeedsAdobeSession = "-Resume resumes chunked uploads to Adobe Experience Platform; session '{0}' is a Data Cloud session, whose bulk jobs take whole files.";

    public const string NoUploadsToResume = "There are no unfinished uploads to resume.";
    public const string ActionComplete = "Complete (start processing)";
    public const string ActionAbort = "Abort (discard its files)";
    public const string ActionRevert = "Revert (remove its data from the dataset)";
    public const string ActionStartEmulator = "Start";
    public const string ActionStopEmulator = "Stop";
    public const string TargetUploadJournal = "unfinished upload of '{0}' as '{1}' into batch '{2}'";
    public const string ActionRemoveUploadJournal = "Remove its resume journal (the next upload starts over)";
    public const string UploadJournalNotFound = "There is no unfinished upload journal for batch '{0}'{1}. Get-IngestUpload lists them.";
    public const string UploadJournalNamed = " and remote name '{0}'";

    // Parameters that contradict each other.
    public const string RetryDelayOutOfRange = "-RetryDelay {0} is out of range: give a delay from 0 to {1} (a bare number means seconds).";
    public const string MultiLineJsonNeedsJson = "-MultiLineJson applies to JSON batches only, and this batch's format is {0}.";
    public const string NameNeedsSingleFile = "-Name '{0}' names one file in the batch, but the paths resolved to {1} files. Send them without -Name, or one at a time.";
    public const string InvalidTag = "Tag '{0}' is not valid: tag names must not be empty, and each value must be a non-empty string or a list of them.";

    // Local files.
    public const string PathNotFound = "Cannot find a file at '{0}'.";
    public const string PatternMatchedNothing = "No file matches '{0}'.";
    public const string NotFileSystemPath = "'{0}' is on the {1} provider; only files from the file system can be sent.";
    public const string DirectoryNotSupported = "'{0}' is a directory and was skipped; send its files with a wildcard such as '{0}/*'.";

    // Batches.
    public const string AlreadyHandled = "Batch '{0}' was already handled by this command; skipped.";
    public const string BatchLeftLoading = "Nothing was sent for it: batch '{0}' stays loading without this file and is not passed on; send the file again once it is fixed, or abort the batch with Stop-IngestBatch -BatchId {0}.";
    public const string BatchNotPassedOn = "Batch '{0}' is not passed on: {1} of the files meant for it could not be sent, and completing it would ingest it without them.";
    public const string BatchNotSuccessful = "Batch '{0}' ended as '{1}': {2}";
    public const string NoErrorGiven = "the platform gave no reason.";
    public const string FailedFileWithoutRowErrors = "The platform lists this file as failed without row-level errors for it (an empty or unreadable file, a header that does not match the schema, or a batch rejected as a whole); Get-IngestStatus shows the batch's errors.";

    // The emulator.
    public const string EmulatorAlreadyRunning = "An emulator already serves '{0}' (process {1} at {2}); returning it instead of starting another. Stop it first (Stop-IngestEmulator) to start one with other options.";
    public const string EmulatorStarted = "Emulator started: process {0} at {1}, data in '{2}', log in '{3}'.";
    public const string EmulatorNotRunning = "No emulator is running for {0}; nothing to stop.";
    public const string EmulatorStopped = "Emulator process {0} stopped.";

    // Datasets.
    public const string DatasetNotFound = "Cannot find a dataset named '{0}'.";

    // Errors.
    public const string ErrorWithRequestId = "{0} (Request id: {1})";

    // Progress.
    public const string ProgressDone = "Done";
    public const string ProgressSendActivity = "Sending files";
    public const string ProgressSendStatus = "{0} of {1} file(s) done, {2} of {3} sent, {4}/s";
    public const string ProgressSendFileActivity = "Uploading '{0}' to batch '{1}'";
    public const string ProgressSendFileStatus = "{0} of {1}";
    public const string ProgressWaitActivity = "Waiting for batch '{0}'";
    public const string ProgressWaitStatus = "{0} after {1}";

    public const string BatchNamesNoDataset = "The Catalog entry of batch '{0}' names no dataset; pass its dataset with -DatasetId.";
    public const string DatasetOfBatch = "Batch '{0}' belongs to dataset '{1}' (from its Catalog entry).";
}
