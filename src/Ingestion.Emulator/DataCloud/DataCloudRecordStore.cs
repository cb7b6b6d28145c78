using System.Text.Json.Nodes;
using Ingestion.Emulator.Storage;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// The records of each Ingestion API object, keyed by primary key, in memory and in
/// <c>datacloud/records/{source}/{object}.json</c>. Upserts replace a whole record (the API has no patch semantics);
/// deletes remove it. Writers hold one gate and write the object's file atomically before publishing.
/// </summary>
internal sealed class DataCloudRecordStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _directory;
    private readonly Dictionary<(string, string), Dictionary<string, JsonObject>> _records = [];

    public DataCloudRecordStore(string directory, ILogger logger)
    {
        _directory = directory;
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var sourceDirectory in Directory.EnumerateDirectories(directory))
        {
            foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*.json"))
            {
                try
                {
                    var records = AtomicFile.ReadJson<Dictionary<string, JsonObject>>(file) ?? [];
                    _records[(Path.GetFileName(sourceDirectory), Path.GetFileNameWithoutExtension(file))] = new(records, StringComparer.Ordinal);
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
                {
                    logger.LogWarning("Ignoring unreadable Data Cloud records {File}: {Message}", file, ex.Message);
                }
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_records)
            {
                return _records.Values.Sum(r => r.Count);
            }
        }
    }

    /// <summary>The object's records, ordered by primary key.</summary>
    public JsonArray Snapshot(DataCloudObject target)
    {
        lock (_records)
        {
            var records = _records.GetValueOrDefault((target.Source, target.Name));
            return records is null
                ? []
                : new JsonArray([.. records.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (JsonNode)r.Value.DeepClone())]);
        }
    }

    public async Task ApplyAsync(DataCloudObject target, IReadOnlyList<JsonObject> upserts, IReadOnlyCollection<string> deletes, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            Dictionary<string, JsonObject> next;
            lock (_records)
            {
                next = new Dictionary<string, JsonObject>(_records.GetValueOrDefault((target.Source, target.Name)) ?? [], StringComparer.Ordinal);
            }

            var key = target.PrimaryKey.Name;
            foreach (var record in upserts)
            {
                var full = new JsonObject();
                foreach (var field in target.Fields)
                {
                    full[field.Name] = record[field.Name]?.DeepClone();
                }

                next[PrimaryKeyText(full[key])] = full;
            }

            foreach (var id in deletes)
            {
                next.Remove(id);
            }

            var directory = Path.Combine(_directory, target.Source);
            Directory.CreateDirectory(directory);
            await AtomicFile.WriteJsonAsync(Path.Combine(directory, target.Name + ".json"), next, ct);
            lock (_records)
            {
                _records[(target.Source, target.Name)] = next;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public static string PrimaryKeyText(JsonNode? value) =>
        value is JsonValue scalar && scalar.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
}
