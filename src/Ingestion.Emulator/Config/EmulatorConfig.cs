using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Campaign;
using Ingestion.Emulator.DataCloud;
using Ingestion.Emulator.Faults;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.Schemas;
using Ingestion.Emulator.State;

namespace Ingestion.Emulator.Config;

/// <summary>
/// The optional config file: credentials to accept, schemas and datasets that must exist, and faults to inject.
/// <code>
/// { "credentials": { "clientId": "…", "clientSecret": "…", "organizationId": "…@AdobeOrg", "sandbox": "prod" },
///   "schemas":  [ { "title": "…", "type": "object", "properties": { … } } ],
///   "datasets": [ { "id": "…", "name": "…", "schemaId": "&lt;$id, meta:altId or title&gt;", "tags": { … } } ],
///   "faults":   { "seed": 42, "serverErrorRate": 0.1, "throttleRate": 0.05, "retryAfterSeconds": 1, … },
///   "campaign": { "tenants": [ "acme" ], "mappings": [ { "id": "profiles", "tenant": "acme", … } ] },
///   "dataCloud": { "sources": [ { "name": "my_api_connector", "objects": [ … ] } ], "connectedApps": [ … ] } }
/// </code>
/// The <c>campaign</c> object is described on <see cref="CampaignConfig"/>, <c>dataCloud</c> on <see cref="DataCloudCatalog"/>.
/// </summary>
internal sealed record EmulatorConfig(
    EmulatorCredentials? Credentials, IReadOnlyList<JsonObject> Schemas, IReadOnlyList<ConfiguredDataset> Datasets, FaultOptions? Faults = null,
    CampaignCatalog? Campaign = null, DataCloudCatalog? DataCloud = null)
{
    public static EmulatorConfig Empty { get; } = new(null, [], []);

    private static readonly HashSet<string> TopLevelKeys = ["credentials", "schemas", "datasets", "faults", "campaign", "dataCloud", "$schema"];
    private static readonly HashSet<string> CredentialKeys = ["clientId", "clientSecret", "organizationId", "sandbox"];
    private static readonly HashSet<string> DatasetKeys = ["id", "name", "schemaId", "tags", "description"];

    /// <summary>Reads and checks a config file; every problem is an <see cref="EmulatorStartException"/> naming the file.</summary>
    public static EmulatorConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"cannot be read: {ex.Message}", ex);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"is not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message}", ex);
        }

        if (root is not JsonObject json)
        {
            throw Invalid(path, "must contain a JSON object with 'credentials', 'schemas' and/or 'datasets'.");
        }

        foreach (var key in json.Select(p => p.Key).Where(k => !TopLevelKeys.Contains(k)))
        {
            throw Invalid(path, $"has an unknown property '{key}'; expected credentials, schemas, datasets, faults, campaign, dataCloud.");
        }

        return new EmulatorConfig(
            ParseCredentials(path, json["credentials"]),
            ParseSchemas(path, json["schemas"]),
            ParseDatasets(path, json["datasets"]),
            ParseFaults(path, json["faults"]),
            CampaignConfig.Parse(path, json["campaign"]),
            DataCloudCatalog.Parse(path, json["dataCloud"]));
    }

    private static FaultOptions? ParseFaults(string path, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject faults)
        {
            throw Invalid(path, "'faults' must be an object.");
        }

        try
        {
            return FaultSettings.FromJson(faults, "faults");
        }
        catch (ArgumentException ex)
        {
            throw Invalid(path, ex.Message, ex);
        }
    }

    private static EmulatorCredentials? ParseCredentials(string path, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject credentials)
        {
            throw Invalid(path, "'credentials' must be an object.");
        }

        foreach (var key in credentials.Select(p => p.Key).Where(k => !CredentialKeys.Contains(k)))
        {
            throw Invalid(path, $"credentials has an unknown property '{key}'; expected clientId, clientSecret, organizationId, sandbox.");
        }

        var defaults = EmulatorCredentials.Default;
        string Read(string name, string fallback) => credentials[name] switch
        {
            null => fallback,
            var value when HttpJson.Text(value) is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) => text,
            _ => throw Invalid(path, $"credentials.{name} must be a non-empty string."),
        };

        return new EmulatorCredentials(
            Read("clientId", defaults.ClientId),
            Read("clientSecret", defaults.ClientSecret),
            Read("organizationId", defaults.OrganizationId),
            Read("sandbox", defaults.Sandbox));
    }

    private static List<JsonObject> ParseSchemas(string path, JsonNode? node)
    {
        var schemas = new List<JsonObject>();
        foreach (var (item, index) in Items(path, node, "schemas"))
        {
            if (item is not JsonObject schema)
            {
                throw Invalid(path, $"schemas[{index}] must be an XDM schema object.");
            }

            try
            {
                // Checked now so a bad schema stops the start before anything is written.
                var probe = (JsonObject)schema.DeepClone();
                probe["$id"] ??= "https://ns.adobe.com/emulator/schemas/config-check";
                SchemaRegistry.Compile(probe, builtIn: false);
            }
            catch (SchemaDefinitionException ex)
            {
                throw Invalid(path, $"schemas[{index}] cannot be used: {ex.Message}", ex);
            }

            schemas.Add(schema);
        }

        return schemas;
    }

    private static List<ConfiguredDataset> ParseDatasets(string path, JsonNode? node)
    {
        var datasets = new List<ConfiguredDataset>();
        foreach (var (item, index) in Items(path, node, "datasets"))
        {
            if (item is not JsonObject dataset)
            {
                throw Invalid(path, $"datasets[{index}] must be an object with 'name' and 'schemaId'.");
            }

            foreach (var key in dataset.Select(p => p.Key).Where(k => !DatasetKeys.Contains(k)))
            {
                throw Invalid(path, $"datasets[{index}] has an unknown property '{key}'; expected id, name, schemaId, tags, description.");
            }

            var id = dataset["id"] is null ? null : HttpJson.Text(dataset["id"]);
            if (dataset["id"] is not null && (id is null || !Ids.IsWellFormedDatasetId(id)))
            {
                throw Invalid(path, $"datasets[{index}].id must be 1 to 64 letters, digits, '-' or '_' (Catalog ids are 24 hex digits).");
            }

            var name = HttpJson.Text(dataset["name"]);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw Invalid(path, $"datasets[{index}].name is required.");
            }

            var schemaId = HttpJson.Text(dataset["schemaId"]);
            if (string.IsNullOrWhiteSpace(schemaId))
            {
                throw Invalid(path, $"datasets[{index}] ('{name}').schemaId is required: a schema's $id, meta:altId or title.");
            }

            try
            {
                RequestTags.Parse(dataset["tags"], message => Problems.CatalogBadRequest(message));
            }
            catch (ServiceException ex)
            {
                throw Invalid(path, $"datasets[{index}] ('{name}'): {ex.Detail}", ex);
            }

            if (dataset["description"] is { } description && HttpJson.Text(description) is null)
            {
                throw Invalid(path, $"datasets[{index}] ('{name}').description must be a string.");
            }

            datasets.Add(new ConfiguredDataset(index, id, name, schemaId, dataset["tags"]?.DeepClone(), HttpJson.Text(dataset["description"])));
        }

        return datasets;
    }

    private static IEnumerable<(JsonNode? Item, int Index)> Items(string path, JsonNode? node, string name)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw Invalid(path, $"'{name}' must be an array.");
        }

        return array.Select((item, index) => (item, index));
    }

    public static EmulatorStartException Invalid(string path, string problem, Exception? inner = null) =>
        new($"Emulator config file '{path}' {problem}", inner);
}

internal sealed record ConfiguredDataset(int Index, string? Id, string Name, string SchemaId, JsonNode? Tags, string? Description);
