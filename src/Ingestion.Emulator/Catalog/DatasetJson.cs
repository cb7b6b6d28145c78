using System.Text.Json.Nodes;
using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Catalog;

internal static class DatasetJson
{
    public static JsonObject ForCatalog(DatasetState dataset)
    {
        var json = new JsonObject
        {
            ["name"] = dataset.Name,
            ["imsOrg"] = dataset.ImsOrg,
            ["tags"] = BatchJson.Tags(dataset.Tags),
            ["version"] = dataset.Version,
            ["created"] = dataset.Created,
            ["updated"] = dataset.Updated,
            ["createdClient"] = dataset.CreatedClient,
            ["createdUser"] = dataset.CreatedUser,
            ["updatedUser"] = dataset.CreatedUser,
            ["schemaRef"] = new JsonObject { ["id"] = dataset.SchemaRef.Id, ["contentType"] = dataset.SchemaRef.ContentType },
        };

        if (dataset.Description is not null)
        {
            json["description"] = dataset.Description;
        }

        if (dataset.FileDescription is { } fileDescription)
        {
            json["fileDescription"] = JsonNode.Parse(fileDescription.GetRawText());
        }

        return json;
    }
}
