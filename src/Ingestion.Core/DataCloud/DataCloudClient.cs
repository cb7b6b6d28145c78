using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.DataCloud;

/// <summary>What to do when a job reaches its file limit, or a file fails.</summary>
public sealed class DataCloudUploadOptions
{
    /// <summary>The encoding of the local files; null or UTF-8: sent as they are (after the UTF-8 check).</summary>
    public System.Text.Encoding? Encoding { get; init; }

    /// <summary>When a job has 100 files: close it and continue in a new job for the same object (say so in a warning).</summary>
    public bool AutoSplitJobs { get; init; }

    /// <summary>A failed upload leaves the job open instead of aborting it.</summary>
    public bool KeepOpenOnError { get; init; }

    /// <summary>With <see cref="AutoSplitJobs"/>: fail at once instead of waiting when the session's job limits are reached.</summary>
    public bool NoWait { get; init; }

    public IProgress<DataCloudLimitWait>? LimitProgress { get; init; }
    public IProgress<string>? Warnings { get; init; }

    /// <summary>Resolves an encoding name (utf-8, latin1, utf-16, utf-16BE, a code page number); unknown names fail with InvalidArgument.</summary>
    public static System.Text.Encoding ParseEncoding(string name) => DataCloudCsv.ResolveEncoding(name);
}

/// <summary>One file (or one part of a split file) sent to a Data Cloud job.</summary>
public sealed class DataCloudFileResult
{
    public required string Path { get; init; }

    /// <summary>1-based part number of a split file (1 of 1 when it was sent whole).</summary>
    public int Part { get; init; } = 1;
    public int Parts { get; init; } = 1;
    public long Bytes { get; init; }
    public TimeSpan Duration { get; init; }

    /// <summary>The job the part went to (a new one when -AutoSplitJobs continued in another job).</summary>
    public required string BatchId { get; init; }
    public string? Object { get; init; }

    public override string ToString() => Parts > 1 ? $"{Path} ({Part}/{Parts})" : Path;
}

/// <summary>
/// Data Cloud's bulk ingestion API (<c>api/v1/ingest/jobs</c>): jobs, CSV uploads, state changes, listing and waiting,
/// plus the transport every Data Cloud call uses (token, retries, 429 back-off, Salesforce's error shapes).
/// </summary>
public sealed class DataCloudClient : IDataCloudTransport
{
    /// <summary>The most files one bulk job takes.</summary>
    public const int MaxFilesPerJob = 100;

    /// <summary>The most jobs one list request returns.</summary>
    public const int MaxPageSize = 100;

    internal const string JobsPath = "api/v1/ingest/jobs";
    private static readonly int[] Created = [201, 200];
    private static readonly int[] Ok = [200];
    private static readonly int[] AcceptedUpload = [202, 200, 201];
    private static readonly int[] NoContent = [204, 200];

    private readonly HttpClient http;
    private readonly DataCloudTokenProvider tokens;
    private readonly RetrySettings retry;
    private readonly TimeProvider time;
    private readonly long maxUploadBytes;

    /// <summary>Where jobs, objects and sources this client sees are remembered for completion; none in tests that build a bare client.</summary>
    internal SessionHistory? History { get; init; }
    private readonly ConcurrentDictionary<string, int> filesSent = new(StringComparer.Ordinal);

    internal DataCloudClient(HttpClient http, DataCloudTokenProvider tokens, RetrySettings retry, TimeProvider time, long maxUploadBytes)
    {
        this.http = http;
        this.tokens = tokens;
        this.retry = retry;
        this.time = time;
        this.maxUploadBytes = maxUploadBytes;
        Limiter = new DataCloudJobLimiter(time);
    }

    internal DataCloudJobLimiter Limiter { get; set; }

    /// <summary>Where the API lives; null before the first login.</summary>
    public Uri? InstanceUrl => tokens.InstanceUrl;

    /// <summary>How many files this session sent to a job (jobs of other sessions count from zero).</summary>
    public int FilesSentTo(string jobId) => filesSent.TryGetValue(jobId, out var n) ? n : 0;

    /// <summary>
    /// Sends one Data Cloud API request with the session's Data Cloud token, retries and logging. Owns
    /// <paramref name="content"/> (disposes it). Idempotent requests are retried by the handler chain (429 with its
    /// Retry-After included); the others are sent again only after a 429, which says the service did nothing.
    /// </summary>
    /// <param name="relativePath">Relative to the Data Cloud instance URL, e.g. <c>api/v1/ingest/sources/{source}/{object}</c>.</param>
    /// <param name="accepted">Statuses that count as success; any other answer throws an IngestionException carrying the service's errorCode/message.</param>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativePath, HttpContent? content, bool idempotent, string operation, object? target, IReadOnlyCollection<int> accepted, CancellationToken cancellationToken) =>
        SendAsync(method, relativePath, content, idempotent, operation, target, accepted, cancellationToken, null);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativePath, HttpContent? content, bool idempotent, string operation, object? target, IReadOnlyCollection<int> accepted, CancellationToken cancellationToken, IProgress<DataCloudLimitWait>? limitProgress)
    {
        try
        {
            var baseUri = await tokens.GetInstanceUrlAsync(cancellationToken).ConfigureAwait(false);
            var uri = new Uri(baseUri, relativePath);
            for (var attempt = 1; ; attempt++)
            {
                // A new message per send: a message can be sent only once; the content is replayed by the chain.
                var request = new HttpRequestMessage(method, uri) { Content = content };
                request.Options.Set(IngestRequestOptions.Authenticated, true);
                if (idempotent)
                {
                    request.MarkIdempotent();
                }

                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not IngestionException && !cancellationToken.IsCancellationRequested)
                {
                    throw IngestionExceptionChain.Find(ex) ?? ServiceErrorReader.FromTransport(ex, operation, target, request.AttemptsOf());
                }

                var status = (int)response.StatusCode;
                if (accepted.Contains(status))
                {
                    return response;
                }

                if (status == 429 && !idempotent && attempt <= retry.MaxRetries)
                {
                    // 429 means the request was refused, not performed: even a create may be sent again.
                    var delay = RetryAfter(response) ?? Backoff(attempt);
                    response.Dispose();
                    IngestLog.Verbose(string.Format(Messages.DcRateLimitedWaiting, operation, delay.TotalSeconds, attempt + 1, retry.MaxRetries + 1));
                    if (limitProgress is not null)
                    {
                        // A job creation the service throttled waits like one the session's limits hold: say so.
                        var until = time.GetUtcNow() + delay;
                        limitProgress.Report(new DataCloudLimitWait(string.Format(Messages.DcLimitServiceWait, delay.TotalSeconds, until), until));
                    }

                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using (response)
                {
                    throw await DataCloudErrors.ReadAsync(response, operation, target, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            content?.Dispose();
        }
    }

    /// <summary>Creates a job (201, state Open), after a slot of the session's job limits is free.</summary>
    public Task<DataCloudJob> CreateJobAsync(string objectName, string sourceName, DataCloudOperation operation, bool noWait, IProgress<DataCloudLimitWait>? limitProgress, CancellationToken cancellationToken) =>
        CreateJobAsync(objectName, sourceName, operation, noWait, limitProgress, null, cancellationToken);

    /// <summary>
    /// Creates a job (201, state Open), after a slot of the session's job limits is free: while waiting, the jobs
    /// holding the slots are polled; <paramref name="timeout"/> caps the wait (null: none). The service's own 429s are
    /// reported through <paramref name="limitProgress"/> like the session's limits.
    /// </summary>
    public async Task<DataCloudJob> CreateJobAsync(string objectName, string sourceName, DataCloudOperation operation, bool noWait, IProgress<DataCloudLimitWait>? limitProgress, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        Require(objectName, "Object");
        Require(sourceName, "SourceName");
        var op = operation == DataCloudOperation.Delete ? "delete" : "upsert";
        var text = string.Format(Messages.OpCreateJob, op, objectName, sourceName);
        using var slot = await Limiter.AcquireAsync(noWait, limitProgress, PollTrackedAsync, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var job = await CreateReconcilingAsync(objectName, sourceName, op, text, limitProgress, cancellationToken).ConfigureAwait(false);
            slot.Opened(job.Id);
            History?.Record(job);
            return job;
        }
        catch (IngestionException ex)
        {
            // A definite refusal (4xx) created nothing: the hourly count forgets it. After a lost answer it may count.
            slot.Cancel(serviceRefused: ex.StatusCode is { } status && (int)status < 500 && (int)status != 408);
            throw;
        }
    }

    /// <summary>How far back (by the service's createdDate) a job made by a create whose answer was lost is looked for.</summary>
    internal static readonly TimeSpan ReconcileWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>POST /jobs</c> is not idempotent: the handler chain sends it once. When it failed in a way that may have
    /// reached the service (no answer, a timeout, a 5xx or 408), the Open jobs are listed: one for the same object,
    /// source and operation, created since shortly before this create and not already this session's, is taken as the
    /// job; if there is none, the create is sent again (at most <see cref="RetrySettings.MaxRetries"/> times, with
    /// backoff). If the listing fails, the error says a job may have been created and how to find it.
    /// </summary>
    private async Task<DataCloudJob> CreateReconcilingAsync(string objectName, string sourceName, string op, string text, IProgress<DataCloudLimitWait>? limitProgress, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - ReconcileWindow;
        for (var attempt = 1; ; attempt++)
        {
            var body = new JsonObject { ["object"] = objectName, ["sourceName"] = sourceName, ["operation"] = op };
            try
            {
                var response = await SendAsync(HttpMethod.Post, JobsPath, Json(body), idempotent: false, text, objectName, Created, cancellationToken, limitProgress).ConfigureAwait(false);
                return await ReadJobAsync(response, text, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestionException ex) when (MayHaveReachedService(ex) && !cancellationToken.IsCancellationRequested)
            {
                DataCloudJob? found;
                try
                {
                    found = await FindLostJobAsync(objectName, sourceName, op, since, cancellationToken).ConfigureAwait(false);
                }
                catch (IngestionException lookup)
                {
                    throw new IngestionException(ex.Kind, string.Format(Messages.DcCreateMayExist, ex.Message, lookup.Message, objectName, sourceName), ex)
                    {
                        StatusCode = ex.StatusCode,
                        RequestId = ex.RequestId,
                        Target = objectName,
                        RecommendedAction = string.Format(Messages.DcCreateMayExistAction, objectName, sourceName),
                    };
                }

                if (found is not null)
                {
                    IngestLog.Verbose(string.Format(Messages.DcCreateReconciled, found.Id, objectName, sourceName));
                    return found;
                }

                if (attempt > retry.MaxRetries)
                {
                    throw;
                }

                var delay = Backoff(attempt);
                IngestLog.Verbose(string.Format(Messages.DcCreateRetrying, ex.Message, delay.TotalSeconds, attempt + 1, retry.MaxRetries + 1));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The newest Open job for the object, source and operation created since <paramref name="since"/> that this session does not hold.</summary>
    private async Task<DataCloudJob?> FindLostJobAsync(string objectName, string sourceName, string op, DateTimeOffset since, CancellationToken cancellationToken)
    {
        DataCloudJob? newest = null;
        await foreach (var job in ListJobsAsync([DataCloudJob.Open], null, null, record: false, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(job.Object, objectName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(job.SourceName, sourceName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(job.Operation, op, StringComparison.OrdinalIgnoreCase)
                && job.Created is { } created && created >= since
                && !Limiter.IsTracked(job.Id)
                && (newest is null || created > newest.Created))
            {
                newest = job;
            }
        }

        return newest;
    }

    /// <summary>No answer, a timeout, a 5xx or 408: the request may have been carried out.</summary>
    internal static bool MayHaveReachedService(IngestionException ex) => ex.StatusCode is { } status
        ? (int)status >= 500 || (int)status == 408
        : ex.Kind is IngestErrorKind.Unavailable or IngestErrorKind.Timeout;

    public async Task<DataCloudJob> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var text = string.Format(Messages.OpGetJob, jobId);
        var response = await SendAsync(HttpMethod.Get, JobPath(jobId), null, idempotent: true, text, jobId, Ok, cancellationToken).ConfigureAwait(false);
        return Seen(await ReadJobAsync(response, text, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>PATCH state UploadComplete: no more files; Data Cloud starts processing.</summary>
    public Task<DataCloudJob> CloseJobAsync(string jobId, CancellationToken cancellationToken) =>
        SetStateAsync(jobId, DataCloudJob.UploadComplete, string.Format(Messages.OpCloseJob, jobId), cancellationToken);

    /// <summary>PATCH state Aborted: the uploaded data is deleted.</summary>
    public Task<DataCloudJob> AbortJobAsync(string jobId, CancellationToken cancellationToken) =>
        SetStateAsync(jobId, DataCloudJob.Aborted, string.Format(Messages.OpAbortJob, jobId), cancellationToken);

    /// <summary>DELETE, only in UploadComplete, JobComplete, Aborted or Failed: the job's state is read first, so the error names it.</summary>
    public async Task DeleteJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (!DataCloudJob.IsDeletable(job.State))
        {
            throw NotDeletable(job);
        }

        var text = string.Format(Messages.OpDeleteJob, jobId);
        try
        {
            using var response = await SendAsync(HttpMethod.Delete, JobPath(jobId), null, idempotent: true, text, jobId, NoContent, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // The state changed between our look and the delete: name the state it has now.
            var now = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
            throw NotDeletable(now);
        }

        Limiter.Release(jobId);
        filesSent.TryRemove(jobId, out _);
    }

    /// <summary>The default order of <see cref="ListAllJobsAsync"/>: the job's creation time.</summary>
    public const string OrderByCreated = "createdDate";
    public const string OrderByModified = "systemModstamp";

    /// <summary>
    /// Reads every page of the listing (ordered by <paramref name="orderBy"/>, which the service sorts ascending) before
    /// returning, so that removing or aborting the listed jobs meanwhile cannot shift later pages; then returns them
    /// highest first when <paramref name="descending"/> (newest first for the dates), up to <paramref name="first"/>.
    /// A job seen on two pages (moved by a change between requests) is returned once.
    /// </summary>
    public async Task<IReadOnlyList<DataCloudJob>> ListAllJobsAsync(IReadOnlyCollection<string>? states, string? orderBy, bool descending, int? first, CancellationToken cancellationToken)
    {
        var all = new List<DataCloudJob>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var job in ListJobsAsync(states, null, string.IsNullOrEmpty(orderBy) ? OrderByCreated : orderBy, record: true, cancellationToken).ConfigureAwait(false))
        {
            if (seen.Add(job.Id))
            {
                all.Add(job);
            }
        }

        if (descending)
        {
            all.Reverse();
        }

        return first is { } n && n < all.Count ? all.GetRange(0, n) : all;
    }

    /// <summary>Lists jobs in the order <paramref name="orderBy"/> gives (the service's default, systemModstamp, when null), page by page (<c>limit</c>/<c>offset</c>), up to <paramref name="first"/>.</summary>
    public IAsyncEnumerable<DataCloudJob> ListJobsAsync(IReadOnlyCollection<string>? states, int? first, string? orderBy, CancellationToken cancellationToken) =>
        ListJobsAsync(states, first, orderBy, record: true, cancellationToken);

    /// <summary>The listing; <paramref name="record"/> false for the completion cache's own listing, which must not crowd out the jobs a user touched.</summary>
    internal async IAsyncEnumerable<DataCloudJob> ListJobsAsync(IReadOnlyCollection<string>? states, int? first, string? orderBy, bool record, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stateFilter = states is { Count: > 0 } ? string.Join(',', states.Select(CheckState)) : null;
        var offset = 0;
        var left = first ?? int.MaxValue;
        while (left > 0)
        {
            var limit = Math.Min(MaxPageSize, left);
            var query = new StringBuilder(JobsPath).Append("?limit=").Append(limit).Append("&offset=").Append(offset);
            if (!string.IsNullOrEmpty(orderBy))
            {
                query.Append("&orderBy=").Append(Uri.EscapeDataString(orderBy));
            }

            if (stateFilter is not null)
            {
                query.Append("&states=").Append(Uri.EscapeDataString(stateFilter));
            }

            var response = await SendAsync(HttpMethod.Get, query.ToString(), null, idempotent: true, Messages.OpListJobs, null, Ok, cancellationToken).ConfigureAwait(false);
            var page = await ReadJsonAsync(response, Messages.OpListJobs, cancellationToken).ConfigureAwait(false);
            var items = (page as JsonObject)?["data"] as JsonArray ?? page as JsonArray ?? [];
            var count = 0;
            foreach (var item in items)
            {
                if (DataCloudJob.FromJson(item) is { } job)
                {
                    count++;
                    left--;
                    yield return Seen(job, record);
                    if (left == 0)
                    {
                        yield break;
                    }
                }
            }

            if (items.Count < limit)
            {
                yield break;
            }

            offset += items.Count;
        }
    }

    /// <summary>Polls the job until JobComplete, Failed or Aborted.</summary>
    public Task<DataCloudJob> WaitForJobAsync(string jobId, WaitOptions options, IProgress<DataCloudJob>? progress, CancellationToken cancellationToken) =>
        Polling.UntilTerminalAsync(
            token => GetJobAsync(jobId, token),
            job => job.IsTerminal,
            (job, elapsed) => new IngestionException(IngestErrorKind.Timeout, string.Format(Messages.DcWaitTimedOut, jobId, job.State, elapsed.TotalSeconds))
            {
                Target = job,
                RecommendedAction = Messages.DcWaitTimedOutAction,
            },
            options,
            progress,
            time,
            cancellationToken);

    /// <summary>Sends one file as it is (PUT text/csv, 202); no checks. Counts towards the job's 100 files.</summary>
    public async Task UploadAsync(string jobId, string path, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        var content = new FileUploadContent(path, length, null);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var text = string.Format(Messages.OpUploadJob, jobId, path);
        // Not idempotent: a replay after a lost answer would add the rows twice. Only a 429 (refused, nothing done) is sent again.
        try
        {
            using var response = await SendAsync(HttpMethod.Put, JobPath(jobId) + "/batches", content, idempotent: false, text, path, AcceptedUpload, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (MayHaveReachedService(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw ex.Restate(ex.Message + " " + string.Format(Messages.DcUploadMayHaveArrived, path, jobId), recommendedAction: Messages.DcUploadMayHaveArrivedAction);
        }

        filesSent.AddOrUpdate(jobId, 1, static (_, n) => n + 1);
    }

    /// <summary>
    /// Checks and sends one local CSV to a job: UTF-8 (or transcoded from <see cref="DataCloudUploadOptions.Encoding"/>),
    /// comma delimiter, header (none for delete jobs), split into parts of at most 150 MB with the header repeated. The
    /// 101st file of a job is refused, or with <see cref="DataCloudUploadOptions.AutoSplitJobs"/> the job is closed and a new
    /// one continues. A failed upload aborts the job unless <see cref="DataCloudUploadOptions.KeepOpenOnError"/>.
    /// Returns one result per part; the last result's BatchId is the job later files should go to.
    /// </summary>
    public async Task<IReadOnlyList<DataCloudFileResult>> SendCsvAsync(DataCloudJob job, string path, DataCloudUploadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(job.State, DataCloudJob.Open, StringComparison.OrdinalIgnoreCase))
        {
            throw new IngestionException(IngestErrorKind.InvalidState, string.Format(Messages.DcJobNotOpen, job.Id, job.State)) { Target = job, RecommendedAction = Messages.DcJobNotOpenAction };
        }

        if (FilesSentTo(job.Id) >= MaxFilesPerJob && !options.AutoSplitJobs)
        {
            // Refused before the file is read: every later file of a full job fails the same way, quickly.
            throw FileLimitReached(job.Id, path, path);
        }

        using var prepared = await DataCloudCsv.PrepareAsync(path, options.Encoding, hasHeader: !job.IsDelete, maxUploadBytes, options.Warnings, cancellationToken).ConfigureAwait(false);
        var results = new List<DataCloudFileResult>(prepared.Parts.Count);
        var current = job;
        for (var i = 0; i < prepared.Parts.Count; i++)
        {
            var part = prepared.Parts[i];
            var shown = prepared.Parts.Count > 1 ? string.Format(Messages.DcPartOf, path, i + 1, prepared.Parts.Count) : path;
            if (FilesSentTo(current.Id) >= MaxFilesPerJob)
            {
                if (!options.AutoSplitJobs)
                {
                    throw FileLimitReached(current.Id, path, shown);
                }

                current = await ContinueInNewJobAsync(current, options, cancellationToken).ConfigureAwait(false);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await UploadAsync(current.Id, part, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestionException ex) when (IsServiceFileLimit(ex))
            {
                // The service counts files this session did not send (another process, an earlier run): the job is
                // full, not broken. Its files stay; from now on it counts as full here too.
                filesSent[current.Id] = MaxFilesPerJob;
                IngestLog.Verbose(string.Format(Messages.DcServiceFileLimit, current.Id, ex.ServiceMessage ?? ex.Message));
                if (!options.AutoSplitJobs)
                {
                    throw FileLimitReached(current.Id, path, shown, ex);
                }

                // The same part again, in the next job.
                i--;
                continue;
            }
            catch (IngestionException ex) when (!options.KeepOpenOnError)
            {
                throw await AbortAfterFailureAsync(current, shown, ex).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !options.KeepOpenOnError)
            {
                // Ctrl+C mid-upload: the job must not stay open half-loaded (its rows would be processed if closed later).
                var stopped = new IngestionException(IngestErrorKind.Service, string.Format(Messages.DcUploadCancelled, shown));
                var outcome = await AbortAfterFailureAsync(current, shown, stopped).ConfigureAwait(false);
                IngestLog.Verbose(outcome.Message);
                throw;
            }

            results.Add(new DataCloudFileResult
            {
                Path = path,
                Part = i + 1,
                Parts = prepared.Parts.Count,
                Bytes = new FileInfo(part).Length,
                Duration = Stopwatch.GetElapsedTime(started),
                BatchId = current.Id,
                Object = current.Object,
            });
        }

        return results;
    }

    /// <summary>Set in <see cref="Exception.Data"/> of an upload failure after which the job was aborted: the job id.</summary>
    public const string AbortedJobKey = "Ingestion.DataCloud.AbortedJob";

    /// <summary>The ServiceErrorCode of the local "job already has 100 files" refusal.</summary>
    public const string JobFileLimitCode = "JobFileLimitReached";

    /// <summary>True for the session's own job limits (5 open, 20 an hour) refusing a creation under -NoWait.</summary>
    public static bool IsJobLimitReached(IngestionException exception) =>
        exception is { Kind: IngestErrorKind.RateLimited or IngestErrorKind.Timeout, StatusCode: null, ServiceErrorCode: DataCloudJobLimiter.LimitReachedCode };

    /// <summary>True for the refusal of a job's 101st file.</summary>
    public static bool IsJobFileLimitReached(IngestionException exception) =>
        exception is { Kind: IngestErrorKind.InvalidState, StatusCode: null, ServiceErrorCode: JobFileLimitCode };

    /// <summary>
    /// The service's own refusal of a job's next file (400/409 LIMIT_EXCEEDED, or a message about too many files): not a
    /// 429, which is about request or job rates.
    /// </summary>
    public static bool IsServiceFileLimit(IngestionException exception) =>
        exception.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict
        && (string.Equals(exception.ServiceErrorCode, "LIMIT_EXCEEDED", StringComparison.OrdinalIgnoreCase)
            || (exception.ServiceMessage ?? string.Empty).Contains("files", StringComparison.OrdinalIgnoreCase)
                && (exception.ServiceMessage ?? string.Empty).Contains(MaxFilesPerJob.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private static IngestionException FileLimitReached(string jobId, string path, string shown, IngestionException? service = null) =>
        new(IngestErrorKind.InvalidState, string.Format(service is null ? Messages.DcJobFileLimit : Messages.DcJobFileLimitService, jobId, MaxFilesPerJob, shown), service)
        {
            ServiceErrorCode = JobFileLimitCode,
            ServiceMessage = service?.ServiceMessage,
            RequestId = service?.RequestId,
            Target = path,
            RecommendedAction = Messages.DcJobFileLimitAction,
        };

    /// <summary>
    /// Closes a job for Complete-IngestBatch. A job already closed (UploadComplete, InProgress, JobComplete or Failed: by
    /// -AutoSplitJobs, another command or the UI) is not an error: its state is returned and said in a verbose line.
    /// </summary>
    public async Task<DataCloudJob> CompleteJobAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await CloseJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (ex.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest)
        {
            DataCloudJob? now;
            try
            {
                now = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestionException)
            {
                now = null;
            }

            if (now?.State is null
                || string.Equals(now.State, DataCloudJob.Open, StringComparison.OrdinalIgnoreCase)
                || string.Equals(now.State, DataCloudJob.Aborted, StringComparison.OrdinalIgnoreCase))
            {
                throw;
            }

            IngestLog.Verbose(string.Format(Messages.DcJobAlreadyClosed, jobId, now.State));
            return now;
        }
    }

    private async Task<DataCloudJob> ContinueInNewJobAsync(DataCloudJob full, DataCloudUploadOptions options, CancellationToken cancellationToken)
    {
        await CloseJobAsync(full.Id, cancellationToken).ConfigureAwait(false);
        var objectName = full.Object;
        var source = full.SourceName;
        if (objectName is null || source is null)
        {
            var known = await GetJobAsync(full.Id, cancellationToken).ConfigureAwait(false);
            objectName = known.Object ?? string.Empty;
            source = known.SourceName ?? string.Empty;
        }

        var next = await CreateJobAsync(objectName, source, full.IsDelete ? DataCloudOperation.Delete : DataCloudOperation.Upsert, options.NoWait, options.LimitProgress, cancellationToken).ConfigureAwait(false);
        options.Warnings?.Report(string.Format(Messages.DcJobContinued, full.Id, MaxFilesPerJob, next.Id));
        return next;
    }

    private async Task<IngestionException> AbortAfterFailureAsync(DataCloudJob job, string shown, IngestionException failure)
    {
        try
        {
            // Not the caller's token: a Ctrl+C mid-upload must still not leave the job half-loaded and open.
            using var cts = new CancellationTokenSource(retry.OverallTimeout);
            await AbortJobAsync(job.Id, cts.Token).ConfigureAwait(false);
            var aborted = failure.Restate(failure.Message + " " + string.Format(Messages.DcJobAbortedAfterFailure, job.Id, shown));
            aborted.Data[AbortedJobKey] = job.Id;
            return aborted;
        }
        catch (Exception ex) when (ex is IngestionException or OperationCanceledException)
        {
            return failure.Restate(failure.Message + " " + string.Format(Messages.DcJobAbortFailed, job.Id, shown, ex.Message));
        }
    }

    private async Task<DataCloudJob> SetStateAsync(string jobId, string state, string text, CancellationToken cancellationToken)
    {
        Require(jobId, "BatchId");
        var body = new JsonObject { ["state"] = state };
        // Setting the same state twice changes nothing: safe to retry.
        var response = await SendAsync(HttpMethod.Patch, JobPath(jobId), Json(body), idempotent: true, text, jobId, Ok, cancellationToken).ConfigureAwait(false);
        var job = await ReadJobAsync(response, text, cancellationToken).ConfigureAwait(false);
        Seen(job);
        return job;
    }

    /// <summary>
    /// A job seen JobComplete, Failed or Aborted no longer holds one of the session's slots: the service counts Open,
    /// UploadComplete and InProgress jobs as running at once (api-notes §7.2, and the emulator).
    /// </summary>
    private DataCloudJob Seen(DataCloudJob job, bool record = true)
    {
        if (record)
        {
            History?.Record(job);
        }

        if (job.IsTerminal)
        {
            Limiter.Release(job.Id);
        }

        return job;
    }

    /// <summary>
    /// For a creation waiting for a slot: reads each job holding one, releasing those finished, aborted or gone (closed
    /// from another process or the UI, purged after 7 days). True when one of the rest can free a slot without this
    /// session doing anything (UploadComplete or InProgress, or its state could not be read).
    /// </summary>
    private async Task<bool> PollTrackedAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var canFree = false;
        foreach (var id in jobIds)
        {
            try
            {
                var job = await GetJobAsync(id, cancellationToken).ConfigureAwait(false);
                canFree |= !job.IsTerminal && !string.Equals(job.State, DataCloudJob.Open, StringComparison.OrdinalIgnoreCase);
            }
            catch (IngestionException ex) when (ex.Kind == IngestErrorKind.NotFound)
            {
                Limiter.Release(id);
            }
            catch (IngestionException ex)
            {
                IngestLog.Verbose(ex.Message);
                canFree = true;
            }
        }

        return canFree;
    }

    private static IngestionException NotDeletable(DataCloudJob job) =>
        new(IngestErrorKind.InvalidState, string.Format(Messages.DcJobNotDeletable, job.Id, job.State))
        {
            Target = job,
            RecommendedAction = Messages.DcJobNotDeletableAction,
        };

    private static string CheckState(string state) =>
        DataCloudJob.States.FirstOrDefault(s => s.Equals(state, StringComparison.OrdinalIgnoreCase))
        ?? throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DcInvalidState, state)) { Target = state };

    private static string JobPath(string jobId) => JobsPath + "/" + Uri.EscapeDataString(jobId);

    private static HttpContent Json(JsonNode body) => new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, name));
        }
    }

    private static async Task<DataCloudJob> ReadJobAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var json = await ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return DataCloudJob.FromJson(json)
            ?? throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.DcUnknownJobAnswer, operation)) { StatusCode = response.StatusCode };
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        using (response)
        {
            try
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return JsonNode.Parse(body) ?? throw new JsonException("empty body");
            }
            catch (JsonException ex)
            {
                var from = response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority) ?? string.Empty;
                throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBodyFrom, operation, (int)response.StatusCode, from, response.Content.Headers.ContentType?.MediaType ?? Messages.NoContentType), ex)
                {
                    StatusCode = response.StatusCode,
                    RequestId = ServiceErrorReader.RequestIdOf(response),
                };
            }
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        if (delay is null)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : delay;
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = retry.RetryDelay.Ticks * Math.Pow(2, attempt - 1);
        return TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.FromMinutes(2).Ticks));
    }
}
