using System.Text.Json.Nodes;
using Ingestion.Emulator.Catalog;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.Schemas;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Config;

/// <summary>
/// Creates the config file's schemas and datasets that do not exist yet, so starting twice with the same
/// config changes nothing. Schemas match by <c>$id</c> (else title), datasets by id (else name).
/// </summary>
internal static class ConfigApplier
{
    public static async Task ApplyAsync(EmulatorContext emulator, EmulatorConfig config, string path, ILogger logger, CancellationToken ct)
    {
        CheckDatasetSchemasExist(emulator.Schemas, config, path);

        foreach (var schema in config.Schemas)
        {
            var id = HttpJson.Text(schema["$id"]);
            var title = HttpJson.Text(schema["title"])!;
            if ((id is not null ? emulator.Schemas.Find(id) : emulator.Schemas.FindByTitle(title)) is not null)
            {
                continue;
            }

            try
            {
                var entry = await emulator.Schemas.CreateAsync(schema, keepGivenId: true, ct);
                logger.LogInformation("Config: created schema {SchemaId} '{Title}'.", entry.Id, entry.Title);
            }
            catch (SchemaDefinitionException ex)
            {
                throw EmulatorConfig.Invalid(path, $"schema '{title}' cannot be created: {ex.Message}", ex);
            }
        }

        foreach (var dataset in config.Datasets)
        {
            var exists = dataset.Id is not null ? emulator.Datasets.Find(dataset.Id) : emulator.Datasets.FindByName(dataset.Name);
            if (exists is not null)
            {
                continue;
            }

            var schema = FindSchema(emulator.Schemas, dataset.SchemaId)!;
            var body = new JsonObject
            {
                ["name"] = dataset.Name,
                ["schemaRef"] = new JsonObject { ["id"] = schema.Id, ["contentType"] = DatasetEndpoints.DefaultSchemaContentType },
                ["tags"] = dataset.Tags?.DeepClone(),
                ["description"] = dataset.Description,
            };
            var created = await DatasetEndpoints.CreateDatasetAsync(emulator, body, dataset.Id, ct);
            logger.LogInformation("Config: created dataset {DatasetId} '{Name}' on schema {SchemaId}.", created.Id, created.Name, schema.Id);
        }
    }

    private static void CheckDatasetSchemasExist(SchemaRegistry registry, EmulatorConfig config, string path)
    {
        foreach (var dataset in config.Datasets)
        {
            var inConfig = config.Schemas.Any(s =>
                HttpJson.Text(s["$id"]) == dataset.SchemaId || HttpJson.Text(s["meta:altId"]) == dataset.SchemaId || HttpJson.Text(s["title"]) == dataset.SchemaId);
            if (!inConfig && FindSchema(registry, dataset.SchemaId) is null)
            {
                throw EmulatorConfig.Invalid(path,
                    $"datasets[{dataset.Index}] ('{dataset.Name}') names schema '{dataset.SchemaId}', which is neither in the config nor in the registry (built-in: {string.Join(", ", registry.All.Where(s => s.BuiltIn).Select(s => s.Id))}).");
            }
        }
    }

    private static SchemaEntry? FindSchema(SchemaRegistry registry, string idAltIdOrTitle) =>
        registry.Find(idAltIdOrTitle) ?? registry.FindByTitle(idAltIdOrTitle);
}
