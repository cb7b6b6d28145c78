using Ingestion.Emulator.Campaign;
using Ingestion.Emulator.Config;
using Ingestion.Emulator.DataCloud;
using Ingestion.Emulator.Faults;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Ims;
using Ingestion.Emulator.Processing;
using Ingestion.Emulator.Schemas;
using Ingestion.Emulator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator;

/// <summary>
/// A running emulator of Adobe IMS, Batch Ingestion, Catalog, a small Schema Registry and Campaign Standard's
/// XDM mapping ingestion and a Salesforce Data Cloud org's Ingestion API, listening on
/// 127.0.0.1 over plain HTTP and keeping its state under <see cref="DataDirectory"/>.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BatchProcessor _processor;
    private readonly DataCloudService _dataCloud;
    private readonly LockFile _lock;
    private readonly string _lockPath;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private int _stopped;

    private EmulatorHost(WebApplication app, BatchProcessor processor, DataCloudService dataCloud, ILoggerFactory loggerFactory, LockFile lockFile, string lockPath, EmulatorOptions options, EmulatorCredentials credentials, string dataDirectory, ILogger logger)
    {
        _app = app;
        _processor = processor;
        _dataCloud = dataCloud;
        _loggerFactory = loggerFactory;
        _lock = lockFile;
        _lockPath = lockPath;
        _logger = logger;
        Options = options;
        Credentials = credentials;
        DataDirectory = dataDirectory;
        Endpoint = new Uri(lockFile.Endpoint);
    }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:54321/</c>; serves IMS (<c>/ims/token/v3</c>) and the platform (<c>/data/foundation/…</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The full path of the data directory in use.</summary>
    public string DataDirectory { get; }

    public EmulatorOptions Options { get; }

    /// <summary>The credentials this emulator accepts. Not secret.</summary>
    public EmulatorCredentials Credentials { get; }

    /// <summary>The Data Cloud user the login endpoint knows (the JWT's <c>sub</c>).</summary>
    public static string DataCloudUserName => DataCloudIdentity.UserName;

    /// <summary>The built-in connected app's private key (PKCS#8 PEM); its consumer key is <see cref="EmulatorCredentials.ClientId"/>.</summary>
    public string DataCloudPrivateKeyPath => _dataCloud.PrivateKeyPath;

    /// <summary>The Salesforce login URL: <see cref="Endpoint"/> without the trailing slash, also the JWT audience.</summary>
    public string DataCloudLoginUrl => Endpoint.ToString().TrimEnd('/');

    /// <summary>The emulator's version (the module version).</summary>
    public static string Version => InfoEndpoints.Version;

    /// <summary>Starts an emulator; throws <see cref="EmulatorStartException"/> for a bad config, a busy data directory or port.</summary>
    public static Task<EmulatorHost> StartAsync(EmulatorOptions options, CancellationToken ct = default) =>
        StartAsync(options, static _ => { }, ct);

    internal static async Task<EmulatorHost> StartAsync(EmulatorOptions options, Action<ILoggingBuilder> configureLogging, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var layout = new DataLayout(options.DataDirectory);
        try
        {
            layout.EnsureCreated();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmulatorStartException($"The data directory '{layout.Root}' cannot be created: {ex.Message}", ex);
        }

        LockFile.ThrowIfHeld(layout.LockFile);

        var loggerFactory = LoggerFactory.Create(configureLogging);
        var logger = loggerFactory.CreateLogger("Ingestion.Emulator");
        WebApplication? app = null;
        BatchProcessor? processor = null;
        DataCloudService? dataCloud = null;
        try
        {
            var configPath = options.ConfigPath is not null ? Path.GetFullPath(options.ConfigPath) : layout.DefaultConfigFile;
            if (options.ConfigPath is not null && !File.Exists(configPath))
            {
                throw new EmulatorStartException($"Emulator config file '{configPath}' does not exist.");
            }

            var config = File.Exists(configPath) ? EmulatorConfig.Load(configPath) : EmulatorConfig.Empty;
            var credentials = options.Credentials ?? config.Credentials ?? EmulatorCredentials.Default;

            var schemas = SchemaRegistry.Load(layout, options.TimeProvider, logger);
            var datasets = DatasetStore.Load(layout, logger);
            var batches = BatchStore.Load(layout, logger);
            var campaignRequests = CampaignRequestStore.Load(layout, logger);
            processor = new BatchProcessor(
                layout, batches, datasets, schemas, options.TimeProvider, options.ProcessingDelay, loggerFactory.CreateLogger<BatchProcessor>());
            var faults = new FaultInjector(options.Faults ?? config.Faults ?? FaultOptions.None, loggerFactory.CreateLogger("Ingestion.Emulator.Faults"));
            dataCloud = DataCloudService.Start(
                layout, config.DataCloud ?? DataCloudCatalog.BuiltInOnly, options.TimeProvider, options.ProcessingDelay, faults, loggerFactory.CreateLogger("Ingestion.Emulator.DataCloud"));
            var emulator = new EmulatorContext
            {
                Options = options,
                Credentials = credentials,
                Layout = layout,
                Schemas = schemas,
                Datasets = datasets,
                Batches = batches,
                Processor = processor,
                Faults = faults,
                Campaign = config.Campaign ?? CampaignCatalog.BuiltInOnly,
                CampaignRequests = campaignRequests,
                DataCloud = dataCloud,
            };

            await ConfigApplier.ApplyAsync(emulator, config, configPath, logger, ct);

            Uri? endpoint = null;
            var tokens = new TokenStore(options.TimeProvider, options.TokenLifetime, faults);
            app = EmulatorApp.Build(emulator, tokens, loggerFactory, () => endpoint!);
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException ex)
            {
                throw new EmulatorStartException($"The emulator cannot listen on 127.0.0.1:{options.Port}: {ex.Message}", ex);
            }

            endpoint = ResolveEndpoint(app);
            var lockFile = new LockFile(
                Environment.ProcessId, endpoint.ToString(), options.TimeProvider.GetUtcNow(), layout.Root,
                credentials.ClientId, credentials.ClientSecret, credentials.OrganizationId, credentials.Sandbox, Version,
                DataCloudIdentity.UserName, dataCloud.PrivateKeyPath, endpoint.ToString().TrimEnd('/'));
            if (!lockFile.TryWrite(layout.LockFile))
            {
                LockFile.ThrowIfHeld(layout.LockFile);
            }

            logger.LogInformation(
                "Loaded {Schemas} schemas, {Datasets} datasets, {Batches} batches, {CampaignRequests} Campaign requests and {DataCloudJobs} Data Cloud jobs from {DataDirectory}.",
                schemas.All.Count, datasets.Count, batches.Count, campaignRequests.Count, dataCloud.Jobs.Count, layout.Root);
            processor.ResumeStaging();
            dataCloud.Jobs.Resume();
            return new EmulatorHost(app, processor, dataCloud, loggerFactory, lockFile, layout.LockFile, options, credentials, layout.Root, logger);
        }
        catch
        {
            if (processor is not null)
            {
                await processor.DisposeAsync();
            }

            if (dataCloud is not null)
            {
                await dataCloud.DisposeAsync();
            }

            if (app is not null)
            {
                await app.DisposeAsync();
            }

            loggerFactory.Dispose();
            throw;
        }
    }

    /// <summary>Stops listening, lets in-flight batch processing wind down (it resumes on the next start) and removes the lock file.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync(ct);
        }
        finally
        {
            await _processor.DisposeAsync();
            await _dataCloud.DisposeAsync();
            _lock.Remove(_lockPath);
            await _app.DisposeAsync();
            _logger.LogInformation("Emulator stopped.");
            _loggerFactory.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static Uri ResolveEndpoint(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel did not report the address it listens on.");
        var port = new Uri(address).Port;
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
