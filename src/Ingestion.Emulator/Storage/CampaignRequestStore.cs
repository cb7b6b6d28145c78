using Ingestion.Emulator.Campaign;
using Ingestion.Emulator.State;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Storage;

/// <summary>
/// Campaign ingestion requests, in memory and in one JSON file (<c>campaign/requests.json</c>) with the last request id,
/// so request ids keep increasing and old requests keep answering across restarts. Writers hold one gate while they
/// decide, write the file atomically, and only then publish the new list.
/// </summary>
internal sealed class CampaignRequestStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DataLayout _layout;
    private CampaignRequestFile _state;

    private CampaignRequestStore(DataLayout layout, CampaignRequestFile state)
    {
        _layout = layout;
        _state = state;
    }

    public static CampaignRequestStore Load(DataLayout layout, ILogger logger)
    {
        var file = layout.CampaignRequestsFile;
        var empty = new CampaignRequestFile(0, []);
        if (!File.Exists(file))
        {
            return new CampaignRequestStore(layout, empty);
        }

        try
        {
            var state = AtomicFile.ReadJson<CampaignRequestFile>(file) ?? empty;
            IReadOnlyList<CampaignRequest> requests = state.Requests ?? [];
            var highest = requests.Count == 0 ? 0 : requests.Max(r => r.RequestId);
            return new CampaignRequestStore(layout, new CampaignRequestFile(Math.Max(state.LastRequestId, highest), requests));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
        {
            // Moved aside rather than overwritten, so the ids in it are not handed out again unnoticed.
            logger.LogWarning("Ignoring unreadable Campaign requests {File}: {Message}", file, ex.Message);
            File.Move(file, $"{file}.{Guid.NewGuid():N}.unreadable");
            return new CampaignRequestStore(layout, empty);
        }
    }

    public int Count => _state.Requests.Count;

    public CampaignRequest? Find(string tenant, string mappingId, long requestId) =>
        _state.Requests.FirstOrDefault(r => r.RequestId == requestId && r.Tenant == tenant && r.MappingId == mappingId);

    /// <summary>
    /// Submits an ingestion of <paramref name="mapping"/>, unless one is still in progress: then that one is returned
    /// with <c>Submitted: false</c> and nothing changes.
    /// </summary>
    public async Task<(CampaignRequest Request, bool Submitted)> TriggerAsync(CampaignMapping mapping, DateTimeOffset now, CancellationToken ct)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await _gate.WaitAsync(ct);
        try
        {
            var running = _state.Requests.LastOrDefault(r => r.Tenant == mapping.Tenant && r.MappingId == mapping.Id && !r.IsFinishedAt(nowMs));
            if (running is not null)
            {
                return (running, false);
            }

            var request = new CampaignRequest
            {
                RequestId = _state.LastRequestId + 1,
                Tenant = mapping.Tenant,
                MappingId = mapping.Id,
                Submitted = nowMs,
                Due = nowMs + (long)Math.Ceiling(mapping.Delay.TotalMilliseconds),
                Outcome = mapping.Outcome.ToString().ToLowerInvariant(),
                Records = mapping.Records,
                ErrorCode = mapping.Outcome == CampaignOutcome.Failure ? mapping.ErrorCode : null,
                ErrorMessage = mapping.Outcome == CampaignOutcome.Failure ? mapping.ErrorMessage : null,
                BatchId = mapping.Outcome == CampaignOutcome.Failure && mapping.FailAfterBatch ? Ids.NewBatchId(now) : null,
                AbortAfterRecords = mapping.Outcome == CampaignOutcome.Abort ? mapping.AbortAfterRecords : null,
            };

            var next = new CampaignRequestFile(request.RequestId, [.. _state.Requests, request]);
            Directory.CreateDirectory(_layout.CampaignDirectory);
            await AtomicFile.WriteJsonAsync(_layout.CampaignRequestsFile, next, ct);
            _state = next;
            return (request, true);
        }
        finally
        {
            _gate.Release();
        }
    }
}
