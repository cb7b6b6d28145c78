using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Campaign;

/// <summary>
/// The Experience Platform side of a Campaign request that fails after its batch was uploaded (<c>failAfterBatch</c>):
/// the batch the status names exists in Catalog, in the emulator's one organization and sandbox, as a failed batch
/// whose error is the ACP code, so <c>Get-IngestStatus -BatchId</c> on a session that serves AEP can follow it.
/// It lands in a dataset named after the mapping (made on first use, with the built-in demo profile schema).
/// </summary>
internal static class CampaignBatches
{
    public const string DatasetNamePrefix = "Campaign XDM mapping ";
    public const string SchemaId = "https://ns.adobe.com/emulator/schemas/demo-profile";
    private const string SchemaContentType = "application/vnd.adobe.xed+json;version=1";
    private static readonly SemaphoreSlim DatasetGate = new(1, 1);

    /// <summary>Writes the request's batch to Catalog as failed; a request without a batch has nothing to write.</summary>
    public static async Task CreateFailedAsync(EmulatorContext emulator, CampaignRequest request, CancellationToken ct)
    {
        if (request.BatchId is null)
        {
            return;
        }

        var dataset = await DatasetForAsync(emulator, request, ct);
        var batch = new BatchState
        {
            Id = request.BatchId,
            DatasetId = dataset.Id,
            ImsOrg = emulator.Credentials.OrganizationId,
            Status = BatchStatus.Failed,
            Created = request.Submitted,
            Updated = request.Due,
            Started = request.Submitted,
            Completed = request.Due,
            InputFormat = new BatchInputFormat("parquet", null),
            ExternalId = request.BatchId,
            CreatedClient = emulator.Credentials.ClientId,
            CreatedUser = emulator.TechnicalAccount,
            Errors = [new BatchErrorEntry(request.ErrorCode ?? CampaignMapping.DefaultErrorCode, request.ErrorMessage ?? CampaignMapping.MessageFor(request.ErrorCode ?? CampaignMapping.DefaultErrorCode), [])],
        };
        await emulator.Batches.SaveAsync(batch, ct);
    }

    private static async Task<DatasetState> DatasetForAsync(EmulatorContext emulator, CampaignRequest request, CancellationToken ct)
    {
        var name = DatasetNamePrefix + request.MappingId;
        await DatasetGate.WaitAsync(ct);
        try
        {
            if (emulator.Datasets.FindByName(name) is { } existing)
            {
                return existing;
            }

            var now = emulator.Time.GetUtcNow();
            var dataset = new DatasetState
            {
                Id = Ids.NewDatasetId(now),
                Name = name,
                Description = $"Where Campaign tenant '{request.Tenant}' exports XDM mapping '{request.MappingId}' (made by the emulator).",
                SchemaRef = new DatasetSchemaRef(SchemaId, SchemaContentType),
                ImsOrg = emulator.Credentials.OrganizationId,
                Created = now.ToUnixTimeMilliseconds(),
                Updated = now.ToUnixTimeMilliseconds(),
                CreatedClient = emulator.Credentials.ClientId,
                CreatedUser = emulator.TechnicalAccount,
            };
            await emulator.Datasets.AddAsync(dataset, ct);
            return dataset;
        }
        finally
        {
            DatasetGate.Release();
        }
    }
}
