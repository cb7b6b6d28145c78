using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Storage;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// Bulk jobs in memory and under <c>datacloud/jobs/{id}/</c> (<c>job.json</c> and the uploaded <c>files/NNNN.csv</c>).
/// Enforces the org's limits (5 jobs Open, UploadComplete or InProgress at once; 20 jobs created per rolling hour),
/// purges Open and UploadComplete jobs older than 7 days, and processes a closed job after the processing delay:
/// UploadComplete, then InProgress halfway, then JobComplete or Failed. A job with any bad row fails whole: its
/// records are not applied (the emulator's choice; the real service's partial behaviour is not documented).
/// </summary>
internal sealed class DataCloudJobStore : IAsyncDisposable
{
    public const int MaxConcurrentJobs = 5;
    public const int MaxJobsPerHour = 20;
    public const int MaxFilesPerJob = 100;

    /// <summary>150 MB read as 150 × 1024 × 1024 bytes; clients that split at 150,000,000 bytes stay under it.</summary>
    public const long MaxUploadBytes = 150L * 1024 * 1024;

    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(7);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, DataCloudJob> _jobs = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> _created = [];
    private readonly string _directory;
    private readonly DataCloudRecordStore _records;
    private readonly Func<DataCloudCatalog> _catalog;
    private readonly TimeProvider _time;
    private readonly TimeSpan _delay;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _processing = [];

    public DataCloudJobStore(string directory, DataCloudRecordStore records, Func<DataCloudCatalog> catalog, TimeProvider time, TimeSpan delay, ILogger logger)
    {
        _directory = directory;
        _records = records;
        _catalog = catalog;
        _time = time;
        _delay = delay;
        _logger = logger;
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var jobDirectory in Directory.EnumerateDirectories(directory))
        {
            var file = Path.Combine(jobDirectory, "job.json");
            try
            {
                if (File.Exists(file) && AtomicFile.ReadJson<DataCloudJob>(file) is { } job)
                {
                    _jobs[job.Id] = job;
                    _created.Add(job.CreatedDate);
                }
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
            {
                logger.LogWarning("Ignoring unreadable Data Cloud job {File}: {Message}", file, ex.Message);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_jobs)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>Purges stale jobs and picks up closed jobs a previous run did not finish.</summary>
    public void Resume()
    {
        PurgeStale();
        lock (_jobs)
        {
            foreach (var job in _jobs.Values.Where(j => j.State is DataCloudJobStates.UploadComplete or DataCloudJobStates.InProgress))
            {
                Schedule(job.Id);
            }
        }
    }

    public DataCloudJob? Find(string id)
    {
        PurgeStale();
        lock (_jobs)
        {
            return _jobs.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<DataCloudJob> All()
    {
        PurgeStale();
        lock (_jobs)
        {
            return [.. _jobs.Values];
        }
    }

    public async Task<DataCloudJob> CreateAsync(DataCloudObject target, string operation, CancellationToken ct)
    {
        PurgeStale();
        await _gate.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow();
            List<DataCloudJob> active;
            lock (_jobs)
            {
                active = [.. _jobs.Values.Where(j => DataCloudJobStates.IsActive(j.State))];
                _created.RemoveAll(c => c <= now - TimeSpan.FromHours(1));
            }

            if (active.Count >= MaxConcurrentJobs)
            {
                // Closed jobs finish on their own after the processing delay; Open ones only when the client closes them.
                var retryAfter = active.Any(j => j.State != DataCloudJobStates.Open) ? Math.Max(1, (int)Math.Ceiling(_delay.TotalSeconds)) : 60;
                throw DataCloudErrors.Throttled(
                    $"The org already has {active.Count} bulk jobs Open, UploadComplete or InProgress, the most allowed at once ({MaxConcurrentJobs}); close or abort one first.",
                    retryAfter);
            }

            if (_created.Count >= MaxJobsPerHour)
            {
                var oldest = _created.Min();
                var wait = Math.Max(1, (int)Math.Ceiling((oldest + TimeSpan.FromHours(1) - now).TotalSeconds));
                throw DataCloudErrors.Throttled(
                    $"{MaxJobsPerHour} bulk jobs were created in the last hour, the most allowed; the next may be created in {wait} s.", wait);
            }

            var job = new DataCloudJob
            {
                Id = Guid.NewGuid().ToString(),
                Operation = operation,
                Object = target.Name,
                SourceName = target.Source,
                CreatedDate = now,
                SystemModstamp = now,
                State = DataCloudJobStates.Open,
            };
            await SaveAsync(job, ct);
            lock (_jobs)
            {
                _created.Add(now);
            }

            return job;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Adds one CSV file (already checked) to an Open job.</summary>
    public async Task AddFileAsync(string id, string csv, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var job = Find(id) ?? throw DataCloudErrors.JobNotFound(id);
            if (job.State != DataCloudJobStates.Open)
            {
                throw DataCloudErrors.JobNotOpen(id, job.State);
            }

            if (job.Files >= MaxFilesPerJob)
            {
                throw DataCloudErrors.TooManyFiles(id, MaxFilesPerJob);
            }

            var files = FilesDirectory(id);
            Directory.CreateDirectory(files);
            AtomicFile.WriteAllText(Path.Combine(files, FileName(job.Files)), csv);
            await SaveAsync(job with { Files = job.Files + 1, SystemModstamp = _time.GetUtcNow() }, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>PATCH: Open → UploadComplete (then processing) or Open → Aborted (files deleted); anything else is a 409.</summary>
    public async Task<DataCloudJob> ChangeStateAsync(string id, string requested, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        DataCloudJob changed;
        try
        {
            var job = Find(id) ?? throw DataCloudErrors.JobNotFound(id);
            if (job.State != DataCloudJobStates.Open)
            {
                throw DataCloudErrors.InvalidJobState(
                    $"Job '{id}' is {job.State}; it can only be set to {requested} while it is Open.");
            }

            changed = job with { State = requested, SystemModstamp = _time.GetUtcNow() };
            await SaveAsync(changed, ct);
            if (requested == DataCloudJobStates.Aborted)
            {
                DeleteDirectory(FilesDirectory(id));
            }
        }
        finally
        {
            _gate.Release();
        }

        if (requested == DataCloudJobStates.UploadComplete)
        {
            Schedule(id);
        }

        return changed;
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var job = Find(id) ?? throw DataCloudErrors.JobNotFound(id);
            if (!DataCloudJobStates.IsDeletable(job.State))
            {
                throw DataCloudErrors.InvalidJobState(
                    $"Job '{id}' is {job.State}; only jobs in UploadComplete, JobComplete, Aborted or Failed can be deleted.");
            }

            lock (_jobs)
            {
                _jobs.Remove(id);
            }

            DeleteDirectory(Path.Combine(_directory, id));
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Schedule(string id)
    {
        lock (_processing)
        {
            _processing.RemoveAll(t => t.IsCompleted);
            _processing.Add(Task.Run(() => ProcessAsync(id, _stopping.Token)));
        }
    }

    private async Task ProcessAsync(string id, CancellationToken ct)
    {
        try
        {
            await Task.Delay(_delay / 2, _time, ct);
            await UpdateAsync(id, j => j.State == DataCloudJobStates.UploadComplete ? j with { State = DataCloudJobStates.InProgress, SystemModstamp = _time.GetUtcNow() } : j, ct);
            await Task.Delay(_delay - (_delay / 2), _time, ct);

            var job = Find(id);
            if (job is null || job.State != DataCloudJobStates.InProgress)
            {
                return;
            }

            var outcome = await RunAsync(job, ct);
            await UpdateAsync(id, _ => outcome with { SystemModstamp = _time.GetUtcNow() }, ct);
            _logger.LogInformation("Data Cloud job {Id} ({Operation} {Source}.{Object}) is {State}.", id, job.Operation, job.SourceName, job.Object, outcome.State);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the job resumes on the next start.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Processing Data Cloud job {Id} failed.", id);
        }
    }

    /// <summary>Reads the job's files, checks every row, and applies them all or (any bad row) none.</summary>
    private async Task<DataCloudJob> RunAsync(DataCloudJob job, CancellationToken ct)
    {
        var target = _catalog().Find(job.SourceName, job.Object);
        if (target is null)
        {
            return job with { State = DataCloudJobStates.Failed, ErrorMessage = $"Object '{job.Object}' of source '{job.SourceName}' no longer exists.", NumberRecordsProcessed = 0, NumberRecordsFailed = 0 };
        }

        var upserts = new List<JsonObject>();
        var deletes = new List<string>();
        var errors = new List<string>();
        long rows = 0, failed = 0;
        for (var file = 0; file < job.Files; file++)
        {
            var records = DataCloudCsv.Parse(await File.ReadAllTextAsync(Path.Combine(FilesDirectory(job.Id), FileName(file)), ct));
            if (job.Operation == "delete")
            {
                foreach (var record in records)
                {
                    rows++;
                    deletes.Add(record[0]);
                }

                continue;
            }

            var header = records[0];
            for (var r = 1; r < records.Count; r++)
            {
                rows++;
                var record = new JsonObject();
                string? problem = null;
                for (var c = 0; c < header.Length; c++)
                {
                    if (target.Field(header[c]) is not { } field)
                    {
                        continue;
                    }

                    problem ??= DataCloudObject.CheckText(field, records[r][c]);
                    if (problem is null)
                    {
                        record[field.Name] = DataCloudObject.ToJson(field, records[r][c]);
                    }
                }

                if (problem is not null)
                {
                    failed++;
                    if (errors.Count < 5)
                    {
                        errors.Add($"file {file + 1} row {r + 1}: {problem}");
                    }
                }
                else
                {
                    upserts.Add(record);
                }
            }
        }

        if (failed > 0)
        {
            return job with
            {
                State = DataCloudJobStates.Failed,
                NumberRecordsProcessed = rows,
                NumberRecordsFailed = failed,
                ErrorMessage = $"{failed} of {rows} records have values that do not fit the object's fields, so none were ingested: {string.Join("; ", errors)}",
            };
        }

        await _records.ApplyAsync(target, upserts, deletes, ct);
        return job with { State = DataCloudJobStates.JobComplete, NumberRecordsProcessed = rows, NumberRecordsFailed = 0 };
    }

    private async Task UpdateAsync(string id, Func<DataCloudJob, DataCloudJob> change, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (Find(id) is { } job)
            {
                var next = change(job);
                if (!ReferenceEquals(next, job))
                {
                    await SaveAsync(next, ct);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Open and UploadComplete jobs older than 7 days are deleted, as the real queue does.</summary>
    private void PurgeStale()
    {
        var limit = _time.GetUtcNow() - StaleAfter;
        List<string> stale;
        lock (_jobs)
        {
            stale = [.. _jobs.Values.Where(j => j.State is DataCloudJobStates.Open or DataCloudJobStates.UploadComplete && j.CreatedDate < limit).Select(j => j.Id)];
            foreach (var id in stale)
            {
                _jobs.Remove(id);
            }
        }

        foreach (var id in stale)
        {
            _logger.LogInformation("Data Cloud job {Id} was Open or UploadComplete for more than 7 days and is deleted.", id);
            DeleteDirectory(Path.Combine(_directory, id));
        }
    }

    private async Task SaveAsync(DataCloudJob job, CancellationToken ct)
    {
        var directory = Path.Combine(_directory, job.Id);
        Directory.CreateDirectory(directory);
        await AtomicFile.WriteJsonAsync(Path.Combine(directory, "job.json"), job, ct);
        lock (_jobs)
        {
            _jobs[job.Id] = job;
        }
    }

    private string FilesDirectory(string id) => Path.Combine(_directory, id, "files");

    private static string FileName(int index) => index.ToString("0000", CultureInfo.InvariantCulture) + ".csv";

    private static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] pending;
        lock (_processing)
        {
            pending = [.. _processing];
        }

        await Task.WhenAll(pending);
        _stopping.Dispose();
    }
}
