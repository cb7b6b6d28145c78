using System.Collections.Concurrent;
using Ingestion.Emulator.State;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Storage;

/// <summary>
/// All batches, in memory and on disk. Readers take the current snapshot without locking; writers hold the
/// batch's gate while they decide, write <c>batch.json</c> atomically, and only then publish the new state.
/// </summary>
internal sealed class BatchStore
{
    private readonly ConcurrentDictionary<string, BatchState> _batches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly DataLayout _layout;

    private BatchStore(DataLayout layout)
    {
        _layout = layout;
    }

    public static BatchStore Load(DataLayout layout, ILogger logger)
    {
        var store = new BatchStore(layout);
        foreach (var directory in Directory.EnumerateDirectories(layout.BatchesDirectory))
        {
            var id = Path.GetFileName(directory);

            // Uploads cut short by a stop or crash never became part of their batch.
            var uploading = layout.BatchUploadDirectory(id);
            if (Directory.Exists(uploading))
            {
                Directory.Delete(uploading, recursive: true);
            }

            // So are diagnostics of a processing run that did not finish; the batch is processed again.
            var diagnostics = layout.BatchDiagnosticsWorkDirectory(id);
            if (Directory.Exists(diagnostics))
            {
                Directory.Delete(diagnostics, recursive: true);
            }

            var stateFile = layout.BatchStateFile(id);
            if (!File.Exists(stateFile))
            {
                continue;
            }

            try
            {
                var state = AtomicFile.ReadJson<BatchState>(stateFile);
                if (state is null || state.Id != id)
                {
                    logger.LogWarning("Ignoring {File}: it does not describe batch {Id}.", stateFile, id);
                    continue;
                }

                store._batches[id] = state;
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
            {
                logger.LogWarning("Ignoring unreadable batch state {File}: {Message}", stateFile, ex.Message);
            }
        }

        return store;
    }

    public int Count => _batches.Count;

    public IEnumerable<BatchState> All => _batches.Values;

    public BatchState? Find(string id) => _batches.TryGetValue(id, out var state) ? state : null;

    public BatchState? FindByExternalId(string datasetId, string externalId) =>
        _batches.Values.FirstOrDefault(b => b.DatasetId == datasetId && b.ExternalId == externalId);

    /// <summary>Serialises writers of one batch; dispose the result to release.</summary>
    public async Task<IDisposable> LockAsync(string id, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    /// <summary>Persists and publishes a batch state; the caller holds the batch's gate (or the batch is new).</summary>
    public async Task SaveAsync(BatchState state, CancellationToken ct)
    {
        Directory.CreateDirectory(_layout.BatchDirectory(state.Id));
        await AtomicFile.WriteJsonAsync(_layout.BatchStateFile(state.Id), state, ct);
        _batches[state.Id] = state;
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
