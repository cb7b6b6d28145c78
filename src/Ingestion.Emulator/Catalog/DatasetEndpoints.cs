using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Catalog;

/// <summary>Catalog's <c>/dataSets</c>: create, list (keyed by id) and get.</summary>
internal sealed class DatasetEndpoints(EmulatorContext emulator, ILogger<DatasetEndpoints> logger)
{
    public const string DefaultSchemaContentType = "application/vnd.adobe.xed+json;version=1";

    private static readonly string[] OrderFields = ["created", "updated", "name", "id"];

    public async Task CreateAsync(HttpContext context)
    {
        var body = await HttpJson.ReadObjectAsync(context, Problems.CatalogBadRequest);
        var dataset = await CreateDatasetAsync(emulator, body, id: null, context.RequestAborted);
        logger.LogInformation("Dataset {DatasetId} '{Name}' created on schema {Schema}.", dataset.Id, dataset.Name, dataset.SchemaRef.Id);

        // Catalog answers a create with the new object's path in an array.
        await HttpJson.WriteAsync(context, StatusCodes.Status201Created, new JsonArray($"@/dataSets/{dataset.Id}"));
    }

    public Task GetAsync(HttpContext context)
    {
        var datasetId = (string)context.Request.RouteValues["datasetId"]!;
        var dataset = emulator.Datasets.Find(datasetId) ?? throw Problems.CatalogNotFound("Dataset", datasetId);
        var page = CatalogQuery.Parse(context.Request.Query, 1, "created", OrderFields);
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, page.ToMap([dataset], d => d.Id, DatasetJson.ForCatalog));
    }

    public Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var page = CatalogQuery.Parse(query, defaultLimit: 50, defaultOrder: "asc:created", OrderFields);
        var name = query["name"].ToString();
        var matches = emulator.Datasets.All.Where(d => name.Length == 0 || d.Name == name);
        var selected = page.Page(matches, d => OrderKey(d, page.OrderField), d => d.Id);
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, page.ToMap(selected, d => d.Id, DatasetJson.ForCatalog));
    }

    /// <summary>Shared by the API and the config file; <paramref name="id"/> pins the id (config only).</summary>
    public static async Task<DatasetState> CreateDatasetAsync(EmulatorContext emulator, JsonObject body, string? id, CancellationToken ct)
    {
        var name = HttpJson.Text(body["name"]);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Problems.CatalogBadRequest("'name' is required and must be a non-empty string.");
        }

        if (body["schemaRef"] is not JsonObject schemaRef || HttpJson.Text(schemaRef["id"]) is not { Length: > 0 } schemaId)
        {
            throw Problems.CatalogBadRequest(
                "'schemaRef' is required: {\"id\": \"<schema $id>\", \"contentType\": \"application/vnd.adobe.xed+json;version=1\"}.");
        }

        var schema = emulator.Schemas.Find(schemaId)
            ?? throw Problems.CatalogBadRequest($"Schema '{schemaId}' referenced by schemaRef.id does not exist in the schema registry.");

        var description = body["description"];
        if (description is not null && HttpJson.Text(description) is null)
        {
            throw Problems.CatalogBadRequest("'description' must be a string.");
        }

        var fileDescription = body["fileDescription"];
        if (fileDescription is not null and not JsonObject)
        {
            throw Problems.CatalogBadRequest("'fileDescription' must be an object.");
        }

        var tags = RequestTags.Parse(body["tags"], Problems.CatalogBadRequest);
        JsonElement? fileDescriptionElement = null;
        if (fileDescription is not null)
        {
            using var parsed = JsonDocument.Parse(fileDescription.ToJsonString());
            fileDescriptionElement = parsed.RootElement.Clone();
        }

        var now = emulator.Time.GetUtcNow();
        var dataset = new DatasetState
        {
            Id = id ?? Ids.NewDatasetId(now),
            Name = name,
            Description = HttpJson.Text(description),
            SchemaRef = new DatasetSchemaRef(schema.Id, HttpJson.Text(schemaRef["contentType"]) ?? DefaultSchemaContentType),
            Tags = tags,
            FileDescription = fileDescriptionElement,
            ImsOrg = emulator.Credentials.OrganizationId,
            Created = now.ToUnixTimeMilliseconds(),
            Updated = now.ToUnixTimeMilliseconds(),
            CreatedClient = emulator.Credentials.ClientId,
            CreatedUser = emulator.TechnicalAccount,
        };

        await emulator.Datasets.AddAsync(dataset, ct);
        return dataset;
    }

    private static IComparable OrderKey(DatasetState dataset, string field) => field switch
    {
        "updated" => dataset.Updated,
        "name" => dataset.Name,
        "id" => dataset.Id,
        _ => dataset.Created,
    };
}
