using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Models;

namespace Ingestion.Core.Aep;

/// <summary>AEP Schema Registry (<c>/data/foundation/schemaregistry</c>): the tenant's XDM schemas.</summary>
public sealed class SchemaRegistryClient
{
    /// <summary>The whole schema with every <c>$ref</c> resolved: what a conversion needs.</summary>
    public const string FullSchemaContentType = "application/vnd.adobe.xed-full+json;version=1";

    /// <summary>Listings with ids and titles only.</summary>
    public const string IdListContentType = "application/vnd.adobe.xed-id+json";

    private const string Base = "data/foundation/schemaregistry/tenant/schemas";
    private const int PageSize = 100;
    private const int MaxSchemaIdLength = 1024;
    private readonly PlatformConnection connection;
    private readonly CatalogClient catalog;

    internal SchemaRegistryClient(PlatformConnection connection, CatalogClient catalog)
    {
        this.connection = connection;
        this.catalog = catalog;
    }

    /// <summary>Reads one schema by its <c>$id</c> (URL-encoded here) or its <c>meta:altId</c>, fully resolved.</summary>
    public async Task<XdmSchema> GetSchemaAsync(string schemaId, CancellationToken cancellationToken)
    {
        CheckSchemaId(schemaId);
        var operation = string.Format(Messages.OpGetSchema, schemaId);
        using var message = connection.Request(HttpMethod.Get, $"{Base}/{Uri.EscapeDataString(schemaId)}").MarkIdempotent();
        message.Headers.TryAddWithoutValidation("Accept", FullSchemaContentType);
        var response = await connection.SendAsync(message, operation, schemaId, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var root = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return ReadSchema(root, operation, status, schemaId);
    }

    /// <summary>The schema of a dataset: reads the dataset from Catalog, then its schema from the registry.</summary>
    public async Task<XdmSchema> GetDatasetSchemaAsync(string datasetId, CancellationToken cancellationToken)
    {
        var dataset = await catalog.GetDatasetAsync(datasetId, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(dataset.SchemaId))
        {
            throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.DatasetWithoutSchema, datasetId)) { Target = datasetId };
        }

        return await GetSchemaAsync(dataset.SchemaId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every tenant schema, a page at a time, following the registry's <c>_page.next</c>.</summary>
    public async IAsyncEnumerable<XdmSchemaSummary> ListSchemasAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? start = null;
        while (true)
        {
            var query = $"{Base}?limit={PageSize}";
            if (start is not null)
            {
                query += "&start=" + Uri.EscapeDataString(start);
            }

            using var message = connection.Request(HttpMethod.Get, query).MarkIdempotent();
            message.Headers.TryAddWithoutValidation("Accept", IdListContentType);
            var response = await connection.SendAsync(message, Messages.OpListSchemas, null, cancellationToken).ConfigureAwait(false);
            var root = await connection.ReadJsonAsync(response, Messages.OpListSchemas, cancellationToken).ConfigureAwait(false);
            if (root["results"] is not JsonArray results)
            {
                throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBody, Messages.OpListSchemas, 200));
            }

            foreach (var item in results)
            {
                if (AepJson.String(item, "$id") is { } id)
                {
                    yield return new XdmSchemaSummary
                    {
                        Id = id,
                        AltId = AepJson.String(item, "meta:altId"),
                        Title = AepJson.String(item, "title"),
                        Version = AepJson.String(item, "version"),
                    };
                }
            }

            // No next page, or one that would ask for the same page again: done.
            var next = AepJson.String(root["_page"], "next");
            if (string.IsNullOrEmpty(next) || next == start || results.Count == 0)
            {
                yield break;
            }

            start = next;
        }
    }

    /// <summary>
    /// Creates a tenant schema from an XDM document (<c>title</c>, <c>type</c>, <c>properties</c> or <c>allOf</c>);
    /// the registry assigns its <c>$id</c>. Not retried: a lost answer may hide a created schema.
    /// </summary>
    public async Task<XdmSchema> CreateSchemaAsync(JsonObject xdmSchema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xdmSchema);
        var title = AepJson.String(xdmSchema, "title") ?? string.Empty;
        var operation = string.Format(Messages.OpCreateSchema, title);
        using var message = connection.Request(HttpMethod.Post, Base, PlatformConnection.Json(xdmSchema));
        message.Headers.TryAddWithoutValidation("Accept", "application/vnd.adobe.xed+json;version=1");
        HttpResponseMessage response;
        try
        {
            response = await connection.SendAsync(message, operation, title, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (BatchIngestionClient.MayHaveReachedService(ex) && !cancellationToken.IsCancellationRequested)
        {
            // Not reconciled (the registry takes no client key), but never reported as safe to send again.
            throw ex.Restate(ex.Message + " " + string.Format(Messages.SchemaMayExist, title), target: title, recommendedAction: string.Format(Messages.SchemaMayExistAction, title));
        }

        var status = (int)response.StatusCode;
        var root = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return ReadSchema(root, operation, status, title);
    }

    private static XdmSchema ReadSchema(JsonNode root, string operation, int status, string target)
    {
        if (root is not JsonObject document || AepJson.String(document, "$id") is not { Length: > 0 } id)
        {
            throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBody, operation, status)) { Target = target };
        }

        return new XdmSchema
        {
            Id = id,
            AltId = AepJson.String(document, "meta:altId"),
            Title = AepJson.String(document, "title"),
            Description = AepJson.String(document, "description"),
            Version = AepJson.String(document, "version"),
            Document = document,
        };
    }

    private static void CheckSchemaId(string? schemaId)
    {
        if (string.IsNullOrWhiteSpace(schemaId))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, "SchemaId")) { Target = schemaId };
        }

        if (schemaId.Length > MaxSchemaIdLength || schemaId.Any(char.IsControl) || schemaId.Trim() != schemaId)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.SchemaIdInvalid, schemaId, MaxSchemaIdLength)) { Target = schemaId };
        }
    }
}
