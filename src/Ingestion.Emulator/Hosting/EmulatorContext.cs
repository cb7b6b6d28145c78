using Ingestion.Emulator.Campaign;
using Ingestion.Emulator.DataCloud;
using Ingestion.Emulator.Faults;
using Ingestion.Emulator.Processing;
using Ingestion.Emulator.Schemas;
using Ingestion.Emulator.Storage;

namespace Ingestion.Emulator.Hosting;

/// <summary>The state and services one running emulator shares between its endpoints.</summary>
internal sealed class EmulatorContext
{
    public required EmulatorOptions Options { get; init; }
    public required EmulatorCredentials Credentials { get; init; }
    public required DataLayout Layout { get; init; }
    public required SchemaRegistry Schemas { get; init; }
    public required DatasetStore Datasets { get; init; }
    public required BatchStore Batches { get; init; }
    public required BatchProcessor Processor { get; init; }
    public required FaultInjector Faults { get; init; }

    /// <summary>Campaign instances and XDM mappings: the built-ins and the config file's.</summary>
    public CampaignCatalog Campaign { get; init; } = CampaignCatalog.BuiltInOnly;
    public required CampaignRequestStore CampaignRequests { get; init; }

    /// <summary>The Salesforce Data Cloud org: key, tokens, sources and objects, bulk jobs and records.</summary>
    public required DataCloudService DataCloud { get; init; }

    public TimeProvider Time => Options.TimeProvider;

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>What Catalog records as <c>createdUser</c>: a technical account of the one integration.</summary>
    public string TechnicalAccount => $"{Credentials.ClientId}@techacct.adobe.com";
}
