using System.Security.Cryptography;
using Ingestion.Emulator.Faults;
using Ingestion.Emulator.Storage;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// The emulated Salesforce Data Cloud org: the built-in connected app's key, the tokens, the sources and objects,
/// the bulk jobs and the stored records, all under <c>&lt;data-dir&gt;/datacloud</c>.
/// </summary>
internal sealed class DataCloudService : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(7200);

    private DataCloudService(DataCloudCatalog catalog, RSA key, string privateKeyPath, DataCloudTokens tokens, DataCloudJobStore jobs, DataCloudRecordStore records)
    {
        Catalog = catalog;
        Key = key;
        PrivateKeyPath = privateKeyPath;
        Tokens = tokens;
        Jobs = jobs;
        Records = records;
    }

    public DataCloudCatalog Catalog { get; }
    public RSA Key { get; }

    /// <summary>The built-in connected app's private key, PKCS#8 PEM.</summary>
    public string PrivateKeyPath { get; }
    public DataCloudTokens Tokens { get; }
    public DataCloudJobStore Jobs { get; }
    public DataCloudRecordStore Records { get; }
    public DataCloudRateLimiter StreamingRate { get; } = new();

    public static DataCloudService Start(DataLayout layout, DataCloudCatalog catalog, TimeProvider time, TimeSpan processingDelay, FaultInjector faults, ILogger logger)
    {
        var privateKeyPath = Path.Combine(layout.DataCloudDirectory, DataCloudKeys.PrivateKeyFileName);
        var key = DataCloudKeys.LoadOrCreate(privateKeyPath);
        var tokens = new DataCloudTokens(time, catalog.TokenLifetime ?? DefaultTokenLifetime, faults);
        var records = new DataCloudRecordStore(Path.Combine(layout.DataCloudDirectory, "records"), logger);
        var jobs = new DataCloudJobStore(Path.Combine(layout.DataCloudDirectory, "jobs"), records, () => catalog, time, processingDelay, logger);
        return new DataCloudService(catalog, key, privateKeyPath, tokens, jobs, records);
    }

    public async ValueTask DisposeAsync()
    {
        await Jobs.DisposeAsync();
        Key.Dispose();
    }
}

/// <summary>The streaming limit of 250 requests per second across all Ingestion API object endpoints (sliding second).</summary>
internal sealed class DataCloudRateLimiter
{
    public const int MaxRequestsPerSecond = 250;

    private readonly Queue<DateTimeOffset> _recent = new();

    /// <summary>Counts the request; false when it is one too many for the last second.</summary>
    public bool TryAcquire(DateTimeOffset now)
    {
        lock (_recent)
        {
            while (_recent.Count > 0 && _recent.Peek() <= now - TimeSpan.FromSeconds(1))
            {
                _recent.Dequeue();
            }

            if (_recent.Count >= MaxRequestsPerSecond)
            {
                return false;
            }

            _recent.Enqueue(now);
            return true;
        }
    }
}
