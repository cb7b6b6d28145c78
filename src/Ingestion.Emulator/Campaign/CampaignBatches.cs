using System.Text.Json.Nodes;
using Ingestion.Emulator.Catalog;
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

            var body = new JsonObject
            {
                ["name"] = name,
                ["description"] = $"Where Campaign tenant '{request.Tenant}' exports XDM mapping '{request.MappingId}' (made by the emulator).",
                ["schemaRef"] = new JsonObject { ["id"] = SchemaId, ["contentType"] = DatasetEndpoints.DefaultSchemaContentType },
            };
            return await DatasetEndpoints.CreateDatasetAsync(emulator, body, id: null, ct);
        }
        finally
        {
            DatasetGate.Release();
        }
    }
}
