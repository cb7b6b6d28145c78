using System.Text.Json.Nodes;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Catalog;

/// <summary>Catalog's <c>GET /batches</c> and <c>GET /batches/{id}</c>; both answer objects keyed by batch id.</summary>
internal sealed class CatalogBatchEndpoints(EmulatorContext emulator)
{
    private static readonly string[] OrderFields = ["created", "updated", "id", "status"];

    public Task GetAsync(HttpContext context)
    {
        var batchId = (string)context.Request.RouteValues["batchId"]!;
        var batch = emulator.Batches.Find(batchId) ?? throw Problems.CatalogNotFound("Batch", batchId);
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, new JsonObject { [batch.Id] = BatchJson.ForCatalog(batch) });
    }

    public Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var page = CatalogQuery.Parse(query, defaultLimit: 20, defaultOrder: "desc:created", OrderFields);

        var dataSet = query["dataSet"].ToString();
        var statuses = query["status"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant())
            .ToHashSet();
        var externalId = query["externalId"].ToString();
        var createdAfter = CatalogQuery.ParseLong(query, "createdAfter");
        var createdBefore = CatalogQuery.ParseLong(query, "createdBefore");

        var matches = emulator.Batches.All.Where(b =>
            (dataSet.Length == 0 || b.DatasetId == dataSet)
            && (statuses.Count == 0 || statuses.Contains(b.Status))
            && (externalId.Length == 0 || b.ExternalId == externalId)
            && (createdAfter is null || b.Created > createdAfter)
            && (createdBefore is null || b.Created < createdBefore));

        var selected = page.Page(matches, b => OrderKey(b, page.OrderField), b => b.Id);
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, page.ToMap(selected, b => b.Id, BatchJson.ForCatalog));
    }

    private static IComparable OrderKey(BatchState batch, string field) => field switch
    {
        "updated" => batch.Updated,
        "id" => batch.Id,
        "status" => batch.Status,
        _ => batch.Created,
    };
}
