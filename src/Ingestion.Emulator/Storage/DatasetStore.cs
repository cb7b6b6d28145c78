using System.Collections.Concurrent;
using Ingestion.Emulator.State;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Storage;

/// <summary>Catalog datasets, in memory and as one JSON file each.</summary>
internal sealed class DatasetStore
{
    private readonly ConcurrentDictionary<string, DatasetState> _datasets = new(StringComparer.Ordinal);
    private readonly DataLayout _layout;

    private DatasetStore(DataLayout layout)
    {
        _layout = layout;
    }

    public static DatasetStore Load(DataLayout layout, ILogger logger)
    {
        var store = new DatasetStore(layout);
        foreach (var file in Directory.EnumerateFiles(layout.DatasetsDirectory, "*.json"))
        {
            try
            {
                var state = AtomicFile.ReadJson<DatasetState>(file);
                if (state is null || state.Id != Path.GetFileNameWithoutExtension(file))
                {
                    logger.LogWarning("Ignoring {File}: it does not describe the dataset its name says.", file);
                    continue;
                }

                store._datasets[state.Id] = state;
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
            {
                logger.LogWarning("Ignoring unreadable dataset {File}: {Message}", file, ex.Message);
            }
        }

        return store;
    }

    public int Count => _datasets.Count;

    public IEnumerable<DatasetState> All => _datasets.Values;

    public DatasetState? Find(string id) => _datasets.TryGetValue(id, out var state) ? state : null;

    public DatasetState? FindByName(string name) => _datasets.Values.FirstOrDefault(d => d.Name == name);

    public async Task AddAsync(DatasetState dataset, CancellationToken ct)
    {
        await AtomicFile.WriteJsonAsync(_layout.DatasetFile(dataset.Id), dataset, ct);
        _datasets[dataset.Id] = dataset;
    }
}
