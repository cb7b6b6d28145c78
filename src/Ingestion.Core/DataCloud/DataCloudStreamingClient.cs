using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.DataCloud;

/// <summary>
/// Data Cloud's streaming Ingestion API: upserts records (<c>POST api/v1/ingest/sources/{source}/{object}</c>, bodies
/// under 200 KB packed by <see cref="RecordPacker"/>), validates them (<c>/actions/test</c>) and deletes them by id
/// (<c>DELETE</c>, at most 200 ids a request). Every request must be answered 202 (validation 200).
/// </summary>
/// <remarks>
/// <para>Retries: upsert POSTs are marked idempotent, so the session's resilience pipeline sends them again after a
/// 5xx, a 429 (honouring Retry-After) or a lost answer. A streaming POST is not idempotent in general, but the
/// service's semantics are upsert by primary key with full replace: a second copy of the same body writes the same
/// rows again. The one visible effect is ordering: if another request in flight updates the same key, the retried
/// copy may land after it; requests in flight at once have no order anyway, so keep a key's updates in one call or
/// send them with MaxConcurrency 1. Validation (nothing stored) and deletes (deleting twice deletes once) are safe.</para>
/// <para>Rate: the service caps the Ingestion API at 250 requests a second across all object endpoints, so one
/// <see cref="RequestRateLimiter"/> is shared by every client over the same transport (the session).</para>
/// </remarks>
public sealed class DataCloudStreamingClient
{
    /// <summary>The service deletes at most 200 ids a request.</summary>
    public const int MaxIdsPerDelete = 200;

    private static readonly ConditionalWeakTable<IDataCloudTransport, RequestRateLimiter> SharedLimiters = new();
    private static readonly int[] Accepted = [202];
    private static readonly int[] ValidationAnswers = [200, 202, 400];
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly IDataCloudTransport transport;
    private readonly TimeProvider time;
    private readonly RequestRateLimiter limiter;

    /// <summary>Where sources and objects written to are remembered for completion; none in tests that build a bare client.</summary>
    internal SessionHistory? History { get; init; }

    internal DataCloudStreamingClient(IDataCloudTransport transport, TimeProvider? time = null)
    {
        this.transport = transport ?? throw new ArgumentNullException(nameof(transport));
        this.time = time ?? TimeProvider.System;
        limiter = SharedLimiters.GetValue(transport, _ => new RequestRateLimiter(RequestRateLimiter.ServiceCap, this.time));
    }

    /// <summary>The limiter every request of this session's streaming calls passes.</summary>
    internal RequestRateLimiter Limiter => limiter;

    /// <summary>
    /// Packs and sends records as they come, with at most <see cref="RecordStreamOptions.MaxConcurrency"/> requests in
    /// flight. A record too large, or a request the service refuses, is counted in the summary's failures and the rest
    /// goes on; a failure that would hit every request (credentials, permission, unknown source or object) cancels the
    /// requests in flight and is thrown.
    /// </summary>
    public async Task<RecordSendSummary> SendRecordsAsync(string sourceName, string objectName, IAsyncEnumerable<JsonObject> records, RecordStreamOptions? options, IProgress<RecordSendProgress>? progress, CancellationToken cancellationToken)
    {
        CheckNames(sourceName, objectName);
        ArgumentNullException.ThrowIfNull(records);
        options ??= new RecordStreamOptions();
        options.Validate();
        var started = time.GetTimestamp();
        var callLimiter = options.RequestsPerSecond < limiter.RequestsPerSecond ? new RequestRateLimiter(options.RequestsPerSecond, time) : null;
        var tally = new SendTally(progress);
        var packer = new RecordPacker();
        using var window = new SemaphoreSlim(options.MaxConcurrency);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();
        Exception? fatal = null;

        async Task StartAsync(PackedBody body)
        {
            await window.WaitAsync(linked.Token).ConfigureAwait(false);
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await SendBodyAsync(sourceName, objectName, body, callLimiter, linked.Token).ConfigureAwait(false);
                    tally.Sent(body);
                }
                catch (IngestionException ex)
                {
                    tally.Failed(new RecordSendFailure { FirstIndex = body.FirstIndex, LastIndex = body.LastIndex, Records = body.Count, Error = ex });
                    if (StopsEverything(ex))
                    {
                        Interlocked.CompareExchange(ref fatal, ex, null);
                        await linked.CancelAsync().ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (linked.IsCancellationRequested)
                {
                    // Stopped by Ctrl+C or by a sibling's failure: reported once, after all have ended.
                }
                finally
                {
                    window.Release();
                }
            }, CancellationToken.None));
        }

        try
        {
            var index = 0;
            await foreach (var record in records.WithCancellation(linked.Token).ConfigureAwait(false))
            {
                PackedBody? full;
                try
                {
                    full = packer.Add(index, record);
                }
                catch (IngestionException ex) when (ex.Kind == IngestErrorKind.InvalidData)
                {
                    tally.Failed(new RecordSendFailure { FirstIndex = index, LastIndex = index, Records = 1, Error = ex });
                    index++;
                    continue;
                }

                index++;
                if (full is not null)
                {
                    await StartAsync(full).ConfigureAwait(false);
                }
            }

            if (packer.Flush() is { } rest)
            {
                await StartAsync(rest).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (fatal is not null && !cancellationToken.IsCancellationRequested)
        {
            // A sibling failed for good: reported below.
        }
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }

        if (fatal is not null)
        {
            throw fatal;
        }

        cancellationToken.ThrowIfCancellationRequested();
        History?.RecordTarget(sourceName, objectName);
        return tally.Summary(sourceName, objectName, time.GetElapsedTime(started));
    }

    /// <summary>
    /// Sends one packed body and checks the 202. A refusal is rethrown naming the body's record range, keeping the
    /// service's status, error code and request id.
    /// </summary>
    public Task SendBodyAsync(string sourceName, string objectName, PackedBody body, CancellationToken cancellationToken) =>
        SendBodyAsync(sourceName, objectName, body, null, cancellationToken);

    /// <summary>
    /// Sends the records to <c>/actions/test</c> (nothing is stored) and gathers the service's validation report, with
    /// record indexes counted from the start of <paramref name="records"/>. Bodies go one after the other.
    /// </summary>
    public async Task<RecordValidationReport> ValidateAsync(string sourceName, string objectName, IAsyncEnumerable<JsonObject> records, CancellationToken cancellationToken)
    {
        CheckNames(sourceName, objectName);
        ArgumentNullException.ThrowIfNull(records);
        var issues = new List<RecordValidationIssue>();
        var packer = new RecordPacker();
        var index = 0;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (packer.Add(index, record) is { } full)
                {
                    issues.AddRange(await ValidateBodyAsync(sourceName, objectName, full, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (IngestionException ex) when (ex.Kind == IngestErrorKind.InvalidData && ex.StatusCode is null)
            {
                issues.Add(new RecordValidationIssue { Index = index, Message = ex.Message });
            }

            index++;
        }

        if (packer.Flush() is { } rest)
        {
            issues.AddRange(await ValidateBodyAsync(sourceName, objectName, rest, cancellationToken).ConfigureAwait(false));
        }

        History?.RecordTarget(sourceName, objectName);
        return new RecordValidationReport { SourceName = sourceName, Object = objectName, Records = index, Issues = issues };
    }

    /// <summary>Validates one packed body; the issues' indexes are input indexes.</summary>
    public async Task<IReadOnlyList<RecordValidationIssue>> ValidateBodyAsync(string sourceName, string objectName, PackedBody body, CancellationToken cancellationToken)
    {
        CheckNames(sourceName, objectName);
        ArgumentNullException.ThrowIfNull(body);
        await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        var operation = string.Format(Messages.OpValidateRecords, body.FirstIndex, body.LastIndex, sourceName, objectName);
        using var response = await transport.SendAsync(HttpMethod.Post, RecordsPath(sourceName, objectName) + "/actions/test", Content(body), idempotent: true, operation, body.ToString(), ValidationAnswers, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return ValidationReportReader.Read(text, (int)response.StatusCode, body.FirstIndex);
    }

    /// <summary>Deletes records by primary key, at most <see cref="MaxIdsPerDelete"/> ids a request, one request after the other.</summary>
    public async Task<RecordDeleteSummary> DeleteAsync(string sourceName, string objectName, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        CheckNames(sourceName, objectName);
        ArgumentNullException.ThrowIfNull(ids);
        var started = time.GetTimestamp();
        long deleted = 0, requests = 0;
        foreach (var group in ids.Chunk(MaxIdsPerDelete))
        {
            await DeleteGroupAsync(sourceName, objectName, group, cancellationToken).ConfigureAwait(false);
            deleted += group.Length;
            requests++;
        }

        History?.RecordTarget(sourceName, objectName);
        return new RecordDeleteSummary { SourceName = sourceName, Object = objectName, Ids = deleted, Requests = requests, Duration = time.GetElapsedTime(started) };
    }

    /// <summary>
    /// Deletes one group of 1 to 200 ids. The ids go in a JSON body <c>{"ids":[...]}</c>, not the <c>?ids=a,b</c> query
    /// the service also takes: a body carries ids containing commas and keeps 200 long keys out of the URL (and logs).
    /// </summary>
    public async Task DeleteGroupAsync(string sourceName, string objectName, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        CheckNames(sourceName, objectName);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count is 0 or > MaxIdsPerDelete)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DeleteGroupSize, ids.Count, MaxIdsPerDelete));
        }

        if (ids.Any(string.IsNullOrWhiteSpace))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, Messages.DeleteBlankId);
        }

        await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        var operation = string.Format(Messages.OpDeleteRecords, ids.Count, sourceName, objectName);
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create(id))]) }));
        body.Headers.ContentType = Json;
        using var response = await transport.SendAsync(HttpMethod.Delete, RecordsPath(sourceName, objectName), body, idempotent: true, operation, ids.First(), Accepted, cancellationToken).ConfigureAwait(false);
    }

    internal static string RecordsPath(string sourceName, string objectName) =>
        $"api/v1/ingest/sources/{Uri.EscapeDataString(sourceName)}/{Uri.EscapeDataString(objectName)}";

    /// <summary>Failures every further request would meet too.</summary>
    public static bool StopsEverything(IngestionException exception) =>
        exception.Kind is IngestErrorKind.Authentication or IngestErrorKind.PermissionDenied or IngestErrorKind.NotFound;

    private async Task SendBodyAsync(string sourceName, string objectName, PackedBody body, RequestRateLimiter? callLimiter, CancellationToken cancellationToken)
    {
        CheckNames(sourceName, objectName);
        ArgumentNullException.ThrowIfNull(body);
        if (callLimiter is not null)
        {
            await callLimiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        var operation = string.Format(Messages.OpSendRecords, body.FirstIndex, body.LastIndex, sourceName, objectName);
        HttpResponseMessage response;
        try
        {
            response = await transport.SendAsync(HttpMethod.Post, RecordsPath(sourceName, objectName), Content(body), idempotent: true, operation, body.ToString(), Accepted, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex)
        {
            // Names the records, so the caller can find them in its input and send them again.
            throw ex.Restate(string.Format(Messages.RecordsNotAccepted, body.FirstIndex, body.LastIndex, sourceName, objectName, ex.Message), target: body.ToString());
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (NotAccepted(text))
            {
                throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.StreamNotAccepted, operation, text)) { StatusCode = response.StatusCode, Target = body.ToString() };
            }
        }
    }

    /// <summary>202 with <c>{"accepted":false}</c> would be a refusal in disguise; an empty or other body is taken as accepted.</summary>
    private static bool NotAccepted(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject o && o["accepted"] is JsonValue v && v.GetValueKind() == JsonValueKind.False;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ByteArrayContent Content(PackedBody body)
    {
        var content = new ByteArrayContent(body.Content);
        content.Headers.ContentType = Json;
        return content;
    }

    private static void CheckNames(string sourceName, string objectName)
    {
        if (string.IsNullOrWhiteSpace(sourceName))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.StreamNameBlank, "SourceName"));
        }

        if (string.IsNullOrWhiteSpace(objectName))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.StreamNameBlank, "Object"));
        }
    }

    private sealed class SendTally(IProgress<RecordSendProgress>? progress)
    {
        private readonly object gate = new();
        private readonly List<RecordSendFailure> failures = [];
        private long records, requests, bytes, failedRecords;

        public void Sent(PackedBody body)
        {
            RecordSendProgress now;
            lock (gate)
            {
                records += body.Count;
                requests++;
                bytes += body.Content.Length;
                now = new RecordSendProgress(records, requests, bytes);
            }

            progress?.Report(now);
        }

        public void Failed(RecordSendFailure failure)
        {
            lock (gate)
            {
                failures.Add(failure);
                failedRecords += failure.Records;
            }
        }

        public RecordSendSummary Summary(string sourceName, string objectName, TimeSpan duration)
        {
            lock (gate)
            {
                return new RecordSendSummary
                {
                    SourceName = sourceName,
                    Object = objectName,
                    Records = records,
                    Requests = requests,
                    Bytes = bytes,
                    Duration = duration,
                    FailedRecords = failedRecords,
                    Failures = [.. failures.OrderBy(f => f.FirstIndex)],
                };
            }
        }
    }
}
