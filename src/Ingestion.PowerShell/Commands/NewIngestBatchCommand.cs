using System.Collections;
using System.Management.Automation;
using Ingestion.Core;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Creates a batch in a dataset (AEP), or (parameter set DataCloud) a Data Cloud bulk job for one object of an Ingestion
/// API source; files are then added with Send-IngestFile.
/// </summary>
[Cmdlet(VerbsCommon.New, "IngestBatch", SupportsShouldProcess = true, DefaultParameterSetName = DatasetSet)]
[OutputType(typeof(IngestBatch), ParameterSetName = new[] { DatasetSet })]
[OutputType(typeof(DataCloudJob), ParameterSetName = new[] { DataCloudSet })]
public sealed class NewIngestBatchCommand : IngestSessionCmdlet
{
    private const string DatasetSet = "Dataset";
    private const string DataCloudSet = "DataCloud";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = DatasetSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DatasetIdCompleter))]
    public string DatasetId { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = DatasetSet)]
    public IngestFormat Format { get; set; }

    /// <summary>The JSON files hold one array or pretty-printed objects instead of one object per line.</summary>
    [Parameter(ParameterSetName = DatasetSet)]
    public SwitchParameter MultiLineJson { get; set; }

    /// <summary>Ids of earlier batches this one replaces (AEP replay).</summary>
    [Parameter(ParameterSetName = DatasetSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Replace { get; set; }

    /// <summary>Batch tags: each key maps to a string or a list of strings.</summary>
    [Parameter(ParameterSetName = DatasetSet)]
    [ValidateNotNull]
    public Hashtable? Tag { get; set; }

    /// <summary>Asks the service to keep row-level error diagnostics for this batch.</summary>
    [Parameter(ParameterSetName = DatasetSet)]
    public SwitchParameter ErrorDiagnostics { get; set; }

    /// <summary>Data Cloud: the object (Data Source Object) the job loads; one object per job.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DataCloudSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DataCloudObjectCompleter))]
    public string Object { get; set; } = null!;

    /// <summary>Data Cloud: the Ingestion API connector (source) the object belongs to.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DataCloudSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DataCloudSourceCompleter))]
    public string SourceName { get; set; } = null!;

    /// <summary>Data Cloud: Upsert (default; CSV with a header) or Delete (CSV without a header: primary key, optional datetime).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = DataCloudSet)]
    public DataCloudOperation Operation { get; set; } = DataCloudOperation.Upsert;

    /// <summary>Data Cloud: fail at once (JobLimitReached) instead of waiting when 5 jobs are open or 20 were created in the last hour.</summary>
    [Parameter(ParameterSetName = DataCloudSet)]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Data Cloud: the longest wait, in seconds, for a job slot; 0 (the default) waits until one frees or Ctrl+C.</summary>
    [Parameter(ParameterSetName = DataCloudSet)]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == DataCloudSet)
        {
            NewJob();
            return;
        }

        if (MultiLineJson && Format != IngestFormat.Json)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.MultiLineJsonNeedsJson, ErrorCategory.InvalidArgument, string.Format(Messages.MultiLineJsonNeedsJson, Format), Format));
        }

        var request = new NewBatchRequest
        {
            DatasetId = DatasetId,
            Format = Format,
            MultiLineJson = MultiLineJson,
            ReplacedBatchIds = Replace ?? [],
            Tags = ReadTags(),
            ErrorDiagnostics = ErrorDiagnostics,
        };

        if (!ShouldProcess(string.Format(Messages.TargetDataset, DatasetId), string.Format(Messages.ActionNewBatch, Format)))
        {
            return;
        }

        var session = RequireAepSession();
        if (session.Platform == IngestPlatform.DataCloud)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidPlatformParameters, ErrorCategory.InvalidArgument, string.Format(Messages.DatasetNeedsAdobe, session), session));
        }

        if (TryRun(token => session.Batches.CreateBatchAsync(request, token), DatasetId, out var batch))
        {
            WriteObject(batch);
        }
    }

    private void NewJob()
    {
        if (!ShouldProcess(string.Format(Messages.TargetDataCloudObject, Object, SourceName), string.Format(Messages.ActionNewDataCloudJob, Operation)))
        {
            return;
        }

        var session = RequireAepSession();
        if (session.Platform != IngestPlatform.DataCloud)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NotDataCloudSession, ErrorCategory.ConnectionError, string.Format(Messages.DataCloudParametersNeedDataCloud, session), session));
        }

        var limits = new JobLimitProgress(Bridge);
        TimeSpan? timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null;
        try
        {
            // The session's own limits failing under -NoWait would fail every further input the same way: stop.
            if (TryRun(token => session.DataCloud.CreateJobAsync(Object, SourceName, Operation, NoWait, limits, timeout, token), Object, out var job, static e => e is Core.Errors.IngestionException ex && DataCloudClient.IsJobLimitReached(ex)))
            {
                WriteObject(job);
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

    private Dictionary<string, IReadOnlyList<string>> ReadTags()
    {
        if (!TagParameter.TryRead(Tag, out var tags, out var invalid))
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.InvalidTag, ErrorCategory.InvalidArgument, string.Format(Messages.InvalidTag, invalid), Tag));
        }

        return tags;
    }
}
