using System.Collections;
using System.Management.Automation;
using Ingestion.Core.Aep;
using Ingestion.Core.Conversion;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Uploads;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Uploads files into a batch, one result per file as soon as it is sent. A file that fails is
/// reported and the others go on; with -PassThru each batch is written once, after its files.
/// On a Data Cloud session the batch is a bulk job and the files are CSV: checked, split over 150 MB, sent one by one.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "IngestFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(IngestFileResult))]
[OutputType(typeof(IngestStatus))]
[OutputType(typeof(DataCloudFileResult))]
[OutputType(typeof(DataCloudJob))]
public sealed class SendIngestFileCommand : IngestSessionCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ResumeSet = "Resume";

    private readonly Dictionary<string, BatchTally> batches = new(StringComparer.Ordinal);
    private readonly DatasetSchemas schemas = new();

    private readonly Dictionary<string, string> datasetsOfBatches = new(StringComparer.Ordinal);
    private readonly HashSet<string> resumedJournals = new(StringComparer.Ordinal);
    private readonly Queue<PendingUpload> pending = new();
    private FileTransferProgress? progress;
    private UploadThrottle? throttle;

    // Files of the current input that could not even be tried (no match, a directory).
    private int rejected;
    private string datasetId = string.Empty;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary>
    /// Alias Id: the batch objects of New-IngestBatch carry their id as Id. With -Resume, only the unfinished uploads
    /// into this batch.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchIdCompleter))]
    public string BatchId { get; set; } = null!;

    /// <summary>
    /// The batch's dataset; when not given it is read from the batch's Catalog entry (one request per batch). With
    /// -Resume, only the unfinished uploads into this dataset.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetIdCompleter))]
    public string? DatasetId { get; set; }

    /// <summary>
    /// The name in the batch, folders allowed (<c>part=1/x.parquet</c>); only with a single file. With -Resume, only the
    /// unfinished upload under this name; alias RemoteName, as Get-IngestUpload writes it.
    /// </summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
    [Alias("RemoteName")]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Writes each batch (as its loading status) once its files are sent, instead of the file results.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// Converts CSV and JSON files to Parquet against the dataset's XDM schema before sending them (the batch must be a
    /// Parquet batch); the name in the batch gets the .parquet extension. Parquet files are sent as they are.
    /// </summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter ConvertToParquet { get; set; }

    /// <summary>With -ConvertToParquet: source column to XDM field path, as ConvertTo-IngestParquet takes it.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNull]
    public Hashtable? Mapping { get; set; }

    /// <summary>Files larger than this many bytes go through the chunked upload; at most 256 MB, the single-upload limit.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateRange(0, BatchIngestionClient.MaxSmallFileBytes)]
    public long ChunkThreshold { get; set; } = BatchIngestionClient.MaxSmallFileBytes;

    /// <summary>
    /// The size of each chunk of a chunked upload; the service takes at most 512,000,000 bytes a chunk. A resumed upload
    /// keeps the chunk size it started with.
    /// </summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateRange(UploadOptions.MinChunkSize, UploadOptions.MaxChunkSize)]
    public long ChunkSize { get; set; } = UploadOptions.DefaultChunkSize;

    /// <summary>How many requests (whole files and chunks) are in flight at once, across all files of the call.</summary>
    [Parameter]
    [ValidateRange(1, UploadOptions.MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = UploadOptions.DefaultThrottleLimit;

    /// <summary>
    /// Resumes the unfinished chunked uploads Get-IngestUpload lists (those of -BatchId, -DatasetId and -Name when
    /// given, which bind from its output): each file goes to the batch, dataset and name it was started with, and only
    /// the chunks the service lacks are sent.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ResumeSet)]
    public SwitchParameter Resume { get; set; }

    /// <summary>Data Cloud: the encoding of the CSV files when it is not UTF-8 (utf-16, latin1, a code page…); they are converted to UTF-8 before sending.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Encoding { get; set; }

    /// <summary>Data Cloud: when a job has 100 files, close it and continue in a new job for the same object (with a warning naming it).</summary>
    [Parameter]
    public SwitchParameter AutoSplitJobs { get; set; }

    /// <summary>Data Cloud: leave the job open when a file fails (by default the job is aborted, so no partial data is processed).</summary>
    [Parameter]
    public SwitchParameter KeepOpenOnError { get; set; }

    private readonly Dictionary<string, DataCloudJob> dataCloudJobs = new(StringComparer.Ordinal);
    private readonly List<DataCloudJob> dataCloudSent = [];
    private readonly Dictionary<string, int> dataCloudFailed = new(StringComparer.Ordinal);
    private readonly HashSet<string> abortedJobs = new(StringComparer.Ordinal);
    private System.Text.Encoding? sourceEncoding;

    // A chunked upload interrupted before (Ctrl+C, a lost connection) resumes from its journal on its own.
    // The throttle is shared by every file of the call: PUTs and chunks together stay within -ThrottleLimit requests.
    private UploadOptions Upload => new() { ChunkThreshold = ChunkThreshold, ChunkSize = ChunkSize, ThrottleLimit = ThrottleLimit, Throttle = throttle, Warnings = Bridge.Warnings };

    protected override void OnBegin()
    {
        if (Mapping is not null && !ConvertToParquet)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.MappingNeedsConversion, ErrorCategory.InvalidArgument, Messages.MappingNeedsConversion, Mapping));
        }

        if (Encoding is not null)
        {
            try
            {
                sourceEncoding = DataCloudUploadOptions.ParseEncoding(Encoding);
            }
            catch (IngestionException ex)
            {
                WriteFailure(ex, Encoding, endsCommand: true);
            }
        }

        throttle = new UploadThrottle(ThrottleLimit);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ResumeSet)
        {
            ResumeUploads();
            return;
        }

        rejected = 0;
        var literal = ParameterSetName == LiteralPathSet;
        var files = FilePaths.Resolve(this, literal ? LiteralPath : Path, literal, Reject, Messages.NotFileSystemPath).Select(f => new FileInfo(f)).ToList();
        if ((Session ?? SessionStore.Default) is { Platform: Core.IngestPlatform.DataCloud } dataCloudSession)
        {
            SendToDataCloud(dataCloudSession, files);
            return;
        }

        RefuseDataCloudParameters();

        if (Name is not null)
        {
            CheckName(files.Count);
        }

        var tally = TallyOf(BatchId);

        if (files.Count > 0 && !TryFindDataset(out datasetId))
        {
            // Its files were not sent: -PassThru must not pass the batch on to be completed without them.
            tally.Failed += files.Count + rejected;
            return;
        }

        if (files.Count > 0)
        {
            tally.DatasetId = datasetId;
        }

        tally.Failed += rejected;
        if (files.Count > 0)
        {
            Send(files, tally);
        }
    }

    protected override void OnEnd()
    {
        if (PassThru)
        {
            // Every job that took files (with -AutoSplitJobs the full ones too, already UploadComplete), except those
            // aborted, and those missing a file: completing them would process the job without it.
            foreach (var job in dataCloudSent.Where(j => !abortedJobs.Contains(j.Id)))
            {
                if (dataCloudFailed.TryGetValue(job.Id, out var failed))
                {
                    WriteWarning(string.Format(Messages.DataCloudJobNotPassedOn, job.Id, failed));
                }
                else
                {
                    WriteObject(job);
                }
            }

            foreach (var (jobId, failed) in dataCloudFailed.Where(f => !abortedJobs.Contains(f.Key) && !dataCloudSent.Any(j => j.Id == f.Key)))
            {
                WriteWarning(string.Format(Messages.DataCloudJobNotPassedOn, jobId, failed));
            }
        }

        FinishAll();
        if (progress is not null)
        {
            // The last count (all files done) is shown before the bar ends.
            Bridge.Drain(this);
            Bridge.Complete(this, ProgressActivity.SendFiles, progress.ParentActivity);
        }

        if (!PassThru)
        {
            return;
        }

        foreach (var (batchId, tally) in batches)
        {
            if (tally.Failed > 0)
            {
                // Completing it would commit a batch with files missing.
                WriteWarning(string.Format(Messages.BatchNotPassedOn, batchId, tally.Failed));
            }
            else if (tally.Sent > 0)
            {
                WriteObject(new IngestStatus { Id = batchId, DatasetId = tally.DatasetId, Status = BatchStatus.Loading });
            }
        }
    }

    /// <summary>After Ctrl+C or an error that ended the command: the uploads still in flight are cancelled; let them
    /// write their journals and let go of their files before the throttle goes away.</summary>
    protected override void OnDispose()
    {
        var running = pending.Select(p => (Task)p.Task).ToArray();
        if (running.Length > 0)
        {
            CancelInFlight();
            try
            {
                Task.WaitAll(running, TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // Cancelled or failed: a resumable upload keeps its journal, and nothing is left to report.
            }
        }

        // Not disposed: an upload cancelled above may still be releasing its slot (SemaphoreSlim needs no disposal
        // without a wait handle).
    }

    private void Send(List<FileInfo> files, BatchTally tally)
    {
        foreach (var file in files)
        {
            var converts = Converts(file);
            var remoteName = converts ? System.IO.Path.ChangeExtension(Name ?? file.Name, ".parquet") : Name ?? file.Name;
            if (!ShouldProcess(string.Format(Messages.TargetFile, file.FullName, BatchId), string.Format(converts ? Messages.ActionConvertUpload : Messages.ActionUpload, remoteName)))
            {
                continue;
            }

            var session = RequireAepSession();
            if (converts && file.Length > 0)
            {
                // Conversion runs here, on the pipeline's turn: results stay in input order.
                FinishAll();
                Tally(tally, TryConvertAndSend(session, file, remoteName, out var result), result);
            }
            else
            {
                StartUpload(session, file, tally, BatchId, datasetId, Name, Upload, resumed: false);
            }
        }
    }

    /// <summary>Parameters that only mean something for a Data Cloud bulk job, refused on an Adobe session.</summary>
    private void RefuseDataCloudParameters()
    {
        foreach (var name in new[] { "Encoding", "AutoSplitJobs", "KeepOpenOnError" })
        {
            if (MyInvocation.BoundParameters.ContainsKey(name))
            {
                ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, string.Format(Messages.DataCloudSendParameters, name, Session ?? SessionStore.Default), name));
            }
        }
    }

    /// <summary>-Resume: each journal's file goes where it was going, in the chunking it started with.</summary>
    private void ResumeUploads()
    {
        var session = RequireAepSession();
        if (session.Platform == Core.IngestPlatform.DataCloud)
        {
            // Data Cloud jobs take whole files: there is nothing of theirs to resume.
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, string.Format(Messages.ResumeNeedsAdobeSession, session), "Resume"));
        }

        RefuseDataCloudParameters();

        var journals = UploadJournal.List()
            .Where(j => (BatchId is null || j.BatchId == BatchId) && (DatasetId is null || j.DatasetId == DatasetId) && (Name is null || j.RemoteName == Name))
            .ToList();
        if (journals.Count == 0)
        {
            if (BatchId is null && DatasetId is null && Name is null)
            {
                WriteVerbose(Messages.NoUploadsToResume);
            }
            else
            {
                var named = Name is null ? string.Empty : string.Format(Messages.UploadJournalNamed, Name);
                WriteError(ErrorMapper.Create(ErrorIds.UploadJournalNotFound, ErrorCategory.ObjectNotFound, string.Format(Messages.UploadJournalNotFound, BatchId ?? "*", named), (object?)Name ?? BatchId));
            }
        }

        foreach (var journal in journals)
        {
            // The same journal piped twice (or listed by two records) is resumed once.
            if (!resumedJournals.Add(journal.JournalPath))
            {
                continue;
            }

            var tally = TallyOf(journal.BatchId);
            tally.DatasetId = journal.DatasetId;
            var file = new FileInfo(journal.Path);
            if (!file.Exists)
            {
                WriteError(ErrorMapper.Create(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, string.Format(Messages.ResumeFileGone, journal.Path, journal.RemoteName, journal.BatchId), journal));
                tally.Failed++;
                continue;
            }

            if (!ShouldProcess(string.Format(Messages.TargetFile, file.FullName, journal.BatchId), string.Format(Messages.ActionResume, journal.RemoteName, journal.ChunksConfirmed, journal.ChunksTotal)))
            {
                continue;
            }

            // Chunked whatever its size now; the engine keeps the chunk size the journal records.
            StartUpload(session, file, tally, journal.BatchId, journal.DatasetId, journal.RemoteName, Upload with { ChunkThreshold = 0 }, resumed: true);
        }
    }

    /// <summary>Hands one file to the engine in the background; its result is written in input order by <see cref="FinishNext"/>.</summary>
    private void StartUpload(Core.Sessions.IngestSession session, FileInfo file, BatchTally tally, string batchId, string dataset, string? name, UploadOptions options, bool resumed)
    {
        if (file.Length == 0)
        {
            // AEP fails the whole batch over an empty file: refuse it here, where the file is still named.
            WriteError(ErrorMapper.Create(ErrorIds.InvalidData, ErrorCategory.InvalidData, string.Format(Messages.EmptyFileNotSent, file.FullName, batchId), file.FullName));
            tally.Failed++;
            return;
        }

        var upload = new PendingUpload(file, tally, batchId, dataset, Progress.StartFile(file.FullName, file.Length, batchId), resumed);
        upload.Task = StartInBackground(token => session.Batches.UploadFileAsync(batchId, dataset, file.FullName, name, options, upload.Bar, token));
        pending.Enqueue(upload);

        // A bounded window of files in flight: memory stays flat however many files come down the pipeline.
        while (pending.Count > 0 && (pending.Count >= ThrottleLimit * 2 || pending.Peek().Task.IsCompleted))
        {
            FinishNext();
        }
    }

    private BatchTally TallyOf(string batchId)
    {
        if (!batches.TryGetValue(batchId, out var tally))
        {
            batches[batchId] = tally = new BatchTally();
        }

        return tally;
    }

    // Made with the first file, so a call that sends nothing (-WhatIf) shows no bar.
    private FileTransferProgress Progress => progress ??= new FileTransferProgress(Bridge);

    /// <summary>Waits for the oldest upload in flight and writes its result or error: output keeps the input order.</summary>
    private void FinishNext()
    {
        // Dequeued only once reported: after Ctrl+C or an error that ends the command, OnDispose still sees it.
        var upload = pending.Peek();
        var sent = TryFinish(upload.Task, upload.File.FullName, out var result, ex =>
        {
            // Resumed uploads may go to several batches: one that is gone or closed fails its own uploads only.
            if (upload.Resumed || !BatchIsUnusable(ex, upload.BatchId, upload.DatasetId))
            {
                return false;
            }

            // The error ends the command: the files still in flight would only fail the same way.
            CancelInFlight();
            return true;
        });
        pending.Dequeue();
        upload.Bar.Complete(this);
        Tally(upload.Tally, sent, result);
    }

    private void FinishAll()
    {
        while (pending.Count > 0)
        {
            FinishNext();
        }
    }

    private void Tally(BatchTally tally, bool sent, IngestFileResult? result)
    {
        if (!sent)
        {
            tally.Failed++;
            return;
        }

        tally.Sent++;
        if (!PassThru)
        {
            WriteObject(result);
        }
    }

    private bool Converts(FileInfo file) =>
        ConvertToParquet && !file.Extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Converts a CSV or JSON file into a temporary Parquet file against the dataset's schema and uploads that; the
    /// temporary folder is removed whatever happens, Ctrl+C included. The result names the source file.
    /// </summary>
    private bool TryConvertAndSend(Core.Sessions.IngestSession session, FileInfo file, string remoteName, out IngestFileResult? result)
    {
        result = null;
        if (!schemas.TryGet(this, datasetId, out var schema, out var xdm, endsCommand: true))
        {
            return false;
        }

        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ingestion-" + Guid.NewGuid().ToString("N"));
        var parquet = System.IO.Path.Combine(folder, System.IO.Path.GetFileNameWithoutExtension(file.Name) + ".parquet");
        // The engine's tasks, so a Ctrl+C can let them close the file before the folder is removed.
        Task? conversion = null;
        Task? upload = null;
        try
        {
            Directory.CreateDirectory(folder);
            var options = new ConversionOptions
            {
                Schema = schema,
                SchemaSource = DatasetSchemas.Describe(datasetId, xdm),
                SchemaFromXdm = true,
                Mapping = MappingParameter.Read(Mapping),
            };
            var converting = new ConversionProgressReporter(Bridge, file.FullName, ProgressActivity.SendFiles);
            // The batch stays loading without this file (and -PassThru holds it back): the error says which batch, so
            // a script that logs only errors still learns of it.
            var convertedOk = TryRun(token => (Task<ParquetConversionResult>)(conversion = ParquetConverter.ConvertFileAsync(file.FullName, parquet, null, options, converting, token)), file.FullName, out var converted, note: string.Format(Messages.BatchLeftLoading, BatchId));
            if (!Stopping)
            {
                Bridge.Complete(this, ProgressActivity.Convert, converting.Activity, ProgressActivity.SendFiles);
            }

            if (!convertedOk || converted is null)
            {
                return false;
            }

            foreach (var warning in converted.Warnings)
            {
                WriteWarning(warning);
            }

            var bar = Progress.StartFile(file.FullName, new FileInfo(parquet).Length, BatchId);
            var (batchId, dataset) = (BatchId, datasetId);
            try
            {
                if (!TryRun(token => (Task<IngestFileResult>)(upload = session.Batches.UploadFileAsync(batchId, dataset, parquet, remoteName, Upload, bar, token)), file.FullName, out var uploaded, ex => BatchIsUnusable(ex, batchId, dataset)))
                {
                    return false;
                }

                result = new IngestFileResult
                {
                    Path = file.FullName,
                    RemoteName = uploaded.RemoteName,
                    Bytes = uploaded.Bytes,
                    Duration = uploaded.Duration,
                    BatchId = uploaded.BatchId,
                    DatasetId = uploaded.DatasetId,
                };
                return true;
            }
            finally
            {
                if (!Stopping)
                {
                    bar.Complete(this);
                }
            }
        }
        finally
        {
            RemoveTemporary(folder, conversion, upload);
        }
    }

    /// <summary>Deletes a temporary folder; after a Ctrl+C it first lets the cancelled conversion or upload let go of its file.</summary>
    private static void RemoveTemporary(string folder, Task? conversion, Task? upload)
    {
        foreach (var task in (Task?[])[conversion, upload])
        {
            try
            {
                task?.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // The failure was reported already, or the task was cancelled.
            }
        }

        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the folder is in the temp directory and says what it is.
        }
    }

    /// <summary>
    /// The service refusing the batch itself (gone, or no longer loading), or a batch or dataset id refused before
    /// it was sent (blank, not an id), fails every further file: stop.
    /// </summary>
    private static bool BatchIsUnusable(Exception exception, string batchId, string datasetId) => exception switch
    {
        IngestionException { StatusCode: not null, Kind: IngestErrorKind.NotFound or IngestErrorKind.InvalidState } => true,
        IngestionException { StatusCode: null, Kind: IngestErrorKind.InvalidArgument, Target: string id } => id == batchId || id == datasetId,
        _ => false,
    };

    /// <summary>
    /// The dataset of this record's batch: <see cref="DatasetId"/>, or the one the batch's Catalog entry names, looked up
    /// once per batch. A field, not the parameter, so the next pipeline record does not inherit a looked-up value.
    /// </summary>
    private bool TryFindDataset(out string found)
    {
        if (DatasetId is not null)
        {
            found = DatasetId;
            return true;
        }

        if (datasetsOfBatches.TryGetValue(BatchId, out found!))
        {
            return true;
        }

        var session = RequireAepSession();
        if (!TryRun(token => session.Catalog.GetBatchStatusAsync(BatchId, token), BatchId, out var status, ex => BatchIsUnusable(ex, BatchId, string.Empty)))
        {
            return false;
        }

        if (string.IsNullOrEmpty(status.DatasetId))
        {
            WriteError(ErrorMapper.Create(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, string.Format(Messages.BatchNamesNoDataset, BatchId), BatchId));
            return false;
        }

        WriteVerbose(string.Format(Messages.DatasetOfBatch, BatchId, status.DatasetId));
        datasetsOfBatches[BatchId] = found = status.DatasetId;
        return true;
    }

    private void CheckName(int fileCount)
    {
        if (fileCount > 1)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NameNeedsSingleFile, ErrorCategory.InvalidArgument, string.Format(Messages.NameNeedsSingleFile, Name, fileCount), Name));
        }

        try
        {
            RemotePath.Validate(Name!);
        }
        catch (IngestionException ex)
        {
            WriteFailure(ex, Name, endsCommand: true);
        }
    }

    /// <summary>
    /// Data Cloud: each CSV is checked (UTF-8, comma, header), split over 150 MB and sent to the job, one file at a time;
    /// with -AutoSplitJobs a full job (100 files) is closed and later files go to its successor.
    /// </summary>
    private void SendToDataCloud(Core.Sessions.IngestSession session, List<FileInfo> files)
    {
        foreach (var name in new[] { "ConvertToParquet", "Mapping", "Name", "ChunkThreshold", "ChunkSize", "DatasetId" })
        {
            if (MyInvocation.BoundParameters.ContainsKey(name) && !(name == "DatasetId" && DatasetId is null))
            {
                ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, string.Format(Messages.AdobeSendParameters, name, session), name));
            }
        }

        var requested = BatchId;
        if (rejected > 0)
        {
            // Paths that matched no file were meant for this job too.
            DataCloudFileFailed(dataCloudJobs.TryGetValue(requested, out var known) ? known.Id : requested, rejected);
        }

        if (files.Count == 0)
        {
            return;
        }

        // Ends the command when the session was closed by Disconnect-IngestService.
        session = RequireSession();
        if (!dataCloudJobs.TryGetValue(requested, out var job))
        {
            if (!TryRun(token => session.DataCloud.GetJobAsync(requested, token), requested, out job, ex => BatchIsUnusable(ex, requested, string.Empty)))
            {
                return;
            }

            dataCloudJobs[requested] = job;
        }

        var limits = new JobLimitProgress(Bridge);
        try
        {
            foreach (var file in files)
            {
                if (abortedJobs.Contains(job.Id))
                {
                    WriteError(ErrorMapper.Create(ErrorIds.InvalidState, ErrorCategory.InvalidOperation, string.Format(Messages.DataCloudJobSkipped, file.FullName, job.Id), file.FullName));
                    continue;
                }

                if (!ShouldProcess(string.Format(Messages.TargetDataCloudJob, job.Id), string.Format(Messages.ActionSendCsv, file.FullName)))
                {
                    continue;
                }

                var options = new DataCloudUploadOptions
                {
                    Encoding = sourceEncoding,
                    AutoSplitJobs = AutoSplitJobs,
                    KeepOpenOnError = KeepOpenOnError,
                    LimitProgress = limits,
                    Warnings = Bridge.Warnings,
                };
                var current = job;
                if (!TryRun(token => session.DataCloud.SendCsvAsync(current, file.FullName, options, token), file.FullName, out var results, ex => DataCloudEndsCommand(ex, current)))
                {
                    DataCloudFileFailed(current.Id, 1);
                    continue;
                }

                foreach (var result in results)
                {
                    if (!PassThru)
                    {
                        WriteObject(result);
                    }
                }

                // Every job that took a part is passed on: with -AutoSplitJobs a file can fill a job and go on in the
                // next, and the full ones (closed, UploadComplete) must be followed to the end too.
                var took = results.Select(r => r.BatchId).Distinct(StringComparer.Ordinal).ToList();
                foreach (var jobId in took.Where(id => !dataCloudSent.Any(j => j.Id == id)))
                {
                    dataCloudSent.Add(jobId == job.Id ? job : With(job, DataCloudJob.Open, jobId));
                }

                if (results.Count > 0 && results[^1].BatchId != job.Id)
                {
                    // -AutoSplitJobs closed the jobs before the last one: later files for the same -BatchId go to it.
                    var last = results[^1].BatchId;
                    for (var k = 0; k < dataCloudSent.Count; k++)
                    {
                        if (dataCloudSent[k].Id != last && (dataCloudSent[k].Id == job.Id || took.Contains(dataCloudSent[k].Id)))
                        {
                            dataCloudSent[k] = With(dataCloudSent[k], DataCloudJob.UploadComplete);
                        }
                    }

                    job = With(job, DataCloudJob.Open, last);
                    dataCloudJobs[requested] = job;
                }
            }
        }
        finally
        {
            if (!Stopping)
            {
                limits.Complete(this);
            }
        }
    }

    private static DataCloudJob With(DataCloudJob job, string state, string? id = null) =>
        new() { Id = id ?? job.Id, Object = job.Object, SourceName = job.SourceName, Operation = job.Operation, State = state, ContentType = job.ContentType, ApiVersion = job.ApiVersion };

    private void DataCloudFileFailed(string jobId, int count) =>
        dataCloudFailed[jobId] = dataCloudFailed.GetValueOrDefault(jobId) + count;

    /// <summary>
    /// The job is gone, not open, or the session's job limits refuse a new one under -NoWait: every further file would
    /// fail the same way. A full job (100 files, counted here or by the service) is not among them: each further
    /// file gets its own error, and what was sent before is kept in the output.
    /// </summary>
    private bool DataCloudEndsCommand(Exception exception, DataCloudJob job)
    {
        if (exception is not IngestionException ingestion)
        {
            return false;
        }

        if (ingestion.Data[DataCloudClient.AbortedJobKey] is string aborted)
        {
            abortedJobs.Add(aborted);
            dataCloudSent.RemoveAll(j => j.Id == aborted);
            return false;
        }

        if (DataCloudClient.IsJobFileLimitReached(ingestion))
        {
            return false;
        }

        return DataCloudClient.IsJobLimitReached(ingestion)
            || (ingestion.Kind == IngestErrorKind.InvalidState && ingestion.Target is DataCloudJob)
            || BatchIsUnusable(exception, job.Id, string.Empty);
    }

    /// <summary>A requested file that cannot be sent: reported, and its batch is not passed on.</summary>
    private void Reject(ErrorRecord error)
    {
        rejected++;
        WriteError(error);
    }

    /// <summary>A file handed to the engine, in input order; its task runs while later files start.</summary>
    private sealed class PendingUpload(FileInfo file, BatchTally tally, string batchId, string datasetId, FileTransferProgress.FileBar bar, bool resumed)
    {
        public bool Resumed { get; } = resumed;

        public FileInfo File { get; } = file;
        public BatchTally Tally { get; } = tally;
        public string BatchId { get; } = batchId;
        public string DatasetId { get; } = datasetId;
        public FileTransferProgress.FileBar Bar { get; } = bar;
        public Task<IngestFileResult> Task { get; set; } = null!;
    }

    private sealed class BatchTally
    {
        public string DatasetId { get; set; } = string.Empty;
        public int Sent { get; set; }
        public int Failed { get; set; }
    }
}
