using System.Diagnostics;
using System.Management.Automation;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Streams pipeline objects into a Data Cloud object through the Ingestion API: records are packed into bodies under
/// 200 KB as they arrive and sent in the background, at most -ThrottleLimit requests in flight; one summary is written
/// at the end. A record too large, or a request refused, is an error naming the records; the rest goes on.
/// With -Validate the records go to the test endpoint instead (nothing is stored) and the report is written.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "IngestRecord", SupportsShouldProcess = true)]
[OutputType(typeof(RecordSendSummary), typeof(RecordValidationReport))]
public sealed class SendIngestRecordCommand : IngestSessionCmdlet
{
    private const int ProgressIntervalMilliseconds = 250;

    private readonly RecordPacker packer = new();
    private readonly Queue<PendingRequest> pending = new();
    private readonly List<RecordSendFailure> failures = [];
    private readonly List<RecordValidationIssue> issues = [];
    private readonly Stopwatch elapsed = new();
    private readonly Stopwatch sinceProgress = new();
    private DataCloudStreamingClient? client;
    private int index;
    private long accepted, requests, bytes, failed, attempted;
    private bool progressShown;

    /// <summary>The Data Cloud object (the data stream's object name in the connector's schema).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DataCloudObjectCompleter))]
    public string Object { get; set; } = null!;

    /// <summary>The Ingestion API connector (source) name.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DataCloudSourceCompleter))]
    public string SourceName { get; set; } = null!;

    /// <summary>The records: PSCustomObjects, hashtables, CSV rows or any object with properties.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject?[] InputObject { get; set; } = null!;

    /// <summary>Sends the records to the validation endpoint (nothing is stored) and writes the service's report.</summary>
    [Parameter]
    public SwitchParameter Validate { get; set; }

    /// <summary>How many requests are in flight at once.</summary>
    [Parameter]
    [ValidateRange(1, RecordStreamOptions.MaxConcurrencyLimit)]
    public int ThrottleLimit { get; set; } = RecordStreamOptions.DefaultMaxConcurrency;

    protected override void OnBegin()
    {
        elapsed.Start();
        sinceProgress.Start();
    }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            Add(item);
        }

        while (pending.Count > 0 && pending.Peek().Task.IsCompleted)
        {
            FinishNext();
        }

        ShowProgress(force: false);
    }

    protected override void OnEnd()
    {
        if (packer.Flush() is { } rest)
        {
            Dispatch(rest);
        }

        while (pending.Count > 0)
        {
            FinishNext();
        }

        if (progressShown)
        {
            ShowProgress(force: true);
            Bridge.Complete(this, ProgressActivity.SendRecords, string.Format(Messages.ProgressSendRecordsActivity, SourceName, Object));
        }

        if (attempted == 0 && failed == 0)
        {
            // Nothing reached the service (no input, or -WhatIf): no summary to report.
            return;
        }

        if (Validate)
        {
            var report = new RecordValidationReport { SourceName = SourceName, Object = Object, Records = index, Issues = [.. issues.OrderBy(i => i.Index ?? -1)] };
            if (!report.IsValid)
            {
                WriteWarning(string.Format(Messages.ValidationIssues, report.Issues.Count, report.Records));
            }

            WriteObject(report);
            return;
        }

        if (failed > 0)
        {
            WriteWarning(string.Format(Messages.RecordsNotSent, failed, index));
        }

        WriteObject(new RecordSendSummary
        {
            SourceName = SourceName,
            Object = Object,
            Records = accepted,
            Requests = requests,
            Bytes = bytes,
            Duration = elapsed.Elapsed,
            FailedRecords = failed,
            Failures = [.. failures.OrderBy(f => f.FirstIndex)],
        });
    }

    /// <summary>After Ctrl+C or an error that ended the command: cancel the requests in flight and let them end.</summary>
    protected override void OnDispose()
    {
        var running = pending.Select(p => (Task)p.Task).ToArray();
        if (running.Length == 0)
        {
            return;
        }

        CancelInFlight();
        try
        {
            Task.WaitAll(running, TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Cancelled or failed: nothing is left to report.
        }
    }

    private void Add(PSObject? item)
    {
        var at = index++;
        if (item is null || !TryConvert(item, at, out var record))
        {
            if (item is null)
            {
                WriteError(ErrorMapper.Create(ErrorIds.NotARecord, ErrorCategory.InvalidType, string.Format(Messages.NotAStreamRecord, "null", at), null));
            }

            Fail(at, at, 1, null);
            return;
        }

        PackedBody? full;
        try
        {
            full = packer.Add(at, record);
        }
        catch (IngestionException ex) when (ex.Kind == IngestErrorKind.InvalidData && ex.StatusCode is null)
        {
            var error = new ErrorRecord(ex, ErrorIds.RecordTooLarge, ErrorCategory.LimitsExceeded, item)
            {
                ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.RecommendedAction },
            };
            WriteError(error);
            Fail(at, at, 1, ex);
            return;
        }

        if (full is not null)
        {
            Dispatch(full);
        }
    }

    private bool TryConvert(PSObject item, int at, out System.Text.Json.Nodes.JsonObject record)
    {
        try
        {
            if (JsonRecords.TryConvert(item, out record))
            {
                return true;
            }

            WriteError(ErrorMapper.Create(ErrorIds.NotARecord, ErrorCategory.InvalidType, string.Format(Messages.NotAStreamRecord, item.BaseObject.GetType().Name, at), item));
        }
        catch (IngestionException ex)
        {
            WriteError(ErrorMapper.Create(ErrorIds.InvalidData, ErrorCategory.InvalidData, string.Format(Messages.RecordNotConverted, at, ex.Message), item));
        }

        record = null!;
        return false;
    }

    /// <summary>Sends a full body (validates it with -Validate), asking ShouldProcess about its record range first.</summary>
    private void Dispatch(PackedBody body)
    {
        var target = string.Format(Messages.TargetRecords, body.FirstIndex, body.LastIndex, body.Count, body.Content.Length, SourceName, Object);
        if (!ShouldProcess(target, Validate ? Messages.ActionValidateRecords : Messages.ActionSendRecords))
        {
            return;
        }

        client ??= DataCloudStreaming.For(RequireSession());
        var streaming = client;
        var (source, name) = (SourceName, Object);
        attempted += body.Count;
        if (Validate)
        {
            // One body at a time: validation is a development check, not a bulk path.
            if (TryRun(token => streaming.ValidateBodyAsync(source, name, body, token), body.ToString(), out var found, StopsEverything))
            {
                issues.AddRange(found);
            }
            else
            {
                Fail(body.FirstIndex, body.LastIndex, body.Count, null);
            }

            return;
        }

        // A bounded window: at most -ThrottleLimit bodies (each under 200 KB) in flight, so memory stays flat.
        while (pending.Count >= ThrottleLimit)
        {
            FinishNext();
        }

        var task = StartInBackground(async token =>
        {
            await streaming.SendBodyAsync(source, name, body, token).ConfigureAwait(false);
            return true;
        });
        pending.Enqueue(new PendingRequest(body, task));
    }

    /// <summary>Collects the oldest request: its records are counted, or its error (naming the records) is written.</summary>
    private void FinishNext()
    {
        // Dequeued only once reported: after Ctrl+C or an error that ends the command, OnDispose still sees it.
        var request = pending.Peek();
        var sent = TryFinish(request.Task, request.Body.ToString(), out _, ex =>
        {
            if (!StopsEverything(ex))
            {
                return false;
            }

            // Every further request would fail the same way.
            CancelInFlight();
            return true;
        });
        pending.Dequeue();
        if (sent)
        {
            accepted += request.Body.Count;
            requests++;
            bytes += request.Body.Content.Length;
        }
        else
        {
            Fail(request.Body.FirstIndex, request.Body.LastIndex, request.Body.Count, request.Task.Exception?.InnerException);
        }

        ShowProgress(force: false);
    }

    private void Fail(int first, int last, int records, Exception? error)
    {
        failed += records;
        if (error is not null)
        {
            failures.Add(new RecordSendFailure { FirstIndex = first, LastIndex = last, Records = records, Error = error });
        }
    }

    private void ShowProgress(bool force)
    {
        if (!force && sinceProgress.ElapsedMilliseconds < ProgressIntervalMilliseconds)
        {
            return;
        }

        sinceProgress.Restart();
        if (index == 0)
        {
            return;
        }

        progressShown = true;
        var status = string.Format(Messages.ProgressSendRecordsStatus, index, accepted, requests, Units.Bytes(bytes));
        WriteProgress(new ProgressRecord(ProgressActivity.SendRecords, string.Format(Messages.ProgressSendRecordsActivity, SourceName, Object), status));
    }

    private static bool StopsEverything(Exception exception) =>
        exception is IngestionException ingestion && DataCloudStreamingClient.StopsEverything(ingestion);

    private sealed record PendingRequest(PackedBody Body, Task<bool> Task);
}
