using System.Diagnostics;
using System.Management.Automation;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Deletes records of a Data Cloud object by primary key through the streaming Ingestion API, in requests of at most
/// 200 ids; ShouldProcess is asked once per request, naming its first and last id. Writes nothing unless -PassThru,
/// like other Remove commands; then one summary at the end.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "IngestRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RecordDeleteSummary))]
public sealed class RemoveIngestRecordCommand : IngestSessionCmdlet
{
    private readonly List<string> group = new(DataCloudStreamingClient.MaxIdsPerDelete);
    private readonly Stopwatch elapsed = new();
    private DataCloudStreamingClient? client;
    private long deleted, requests;

    /// <summary>The Data Cloud object.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DataCloudObjectCompleter))]
    public string Object { get; set; } = null!;

    /// <summary>The Ingestion API connector (source) name.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DataCloudSourceCompleter))]
    public string SourceName { get; set; } = null!;

    /// <summary>Primary key values of the records to delete.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = null!;

    /// <summary>Writes a summary (ids and requests accepted) at the end.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnBegin() => elapsed.Start();

    protected override void ProcessRecord()
    {
        foreach (var id in Id)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                WriteError(ErrorMapper.Create(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, Messages.BlankRecordId, id));
                continue;
            }

            group.Add(id);
            if (group.Count == DataCloudStreamingClient.MaxIdsPerDelete)
            {
                DeleteGroup();
            }
        }
    }

    protected override void OnEnd()
    {
        if (group.Count > 0)
        {
            DeleteGroup();
        }

        if (PassThru && requests > 0)
        {
            WriteObject(new RecordDeleteSummary { SourceName = SourceName, Object = Object, Ids = deleted, Requests = requests, Duration = elapsed.Elapsed });
        }
    }

    private void DeleteGroup()
    {
        string[] ids = [.. group];
        group.Clear();
        if (!ShouldProcess(string.Format(Messages.TargetRecordIds, ids.Length, SourceName, Object, ids[0], ids[^1]), Messages.ActionDeleteRecords))
        {
            return;
        }

        client ??= DataCloudStreaming.For(RequireSession());
        var streaming = client;
        var (source, name) = (SourceName, Object);
        if (TryRun(token => streaming.DeleteGroupAsync(source, name, ids, token), ids[0], ex => ex is IngestionException ingestion && DataCloudStreamingClient.StopsEverything(ingestion)))
        {
            deleted += ids.Length;
            requests++;
        }
    }
}
