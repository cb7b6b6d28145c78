using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Storage;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Schemas;

/// <summary>
/// The built-in schemas (embedded in this assembly) plus those created through the API or the config file.
/// Schemas are looked up by <c>$id</c> or <c>meta:altId</c>, as the real registry allows.
/// </summary>
internal sealed class SchemaRegistry
{
    /// <summary>The tenant namespace of user schemas, the way AEP puts the org's tenant id into <c>$id</c>.</summary>
    public const string Tenant = "emulator";

    private const string BuiltInResourcePrefix = "Ingestion.Emulator.BuiltIn.";

    private readonly ConcurrentDictionary<string, SchemaEntry> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SchemaEntry> _byAltId = new(StringComparer.Ordinal);
    private readonly DataLayout _layout;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _createGate = new(1, 1);

    private SchemaRegistry(DataLayout layout, TimeProvider time)
    {
        _layout = layout;
        _time = time;
    }

    public static SchemaRegistry Load(DataLayout layout, TimeProvider time, ILogger logger)
    {
        var registry = new SchemaRegistry(layout, time);
        var assembly = typeof(SchemaRegistry).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(BuiltInResourcePrefix, StringComparison.Ordinal)))
        {
            registry.Publish(Compile(ReadResource(assembly, name), builtIn: true));
        }

        foreach (var file in Directory.EnumerateFiles(layout.SchemasDirectory, "*.json"))
        {
            try
            {
                var document = JsonNode.Parse(File.ReadAllText(file)) as JsonObject
                    ?? throw new SchemaDefinitionException("the file is not a JSON object");
                var entry = Compile(document, builtIn: false);
                if (registry.Find(entry.Id) is { BuiltIn: true })
                {
                    logger.LogWarning("Ignoring {File}: it redefines built-in schema {Id}.", file, entry.Id);
                    continue;
                }

                registry.Publish(entry);
            }
            catch (Exception ex) when (ex is JsonException or IOException or SchemaDefinitionException)
            {
                logger.LogWarning("Ignoring unusable schema file {File}: {Message}", file, ex.Message);
            }
        }

        return registry;
    }

    public IReadOnlyList<SchemaEntry> All =>
        _byId.Values.OrderBy(s => s.Title, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();

    /// <summary>Finds a schema by <c>$id</c> or <c>meta:altId</c>.</summary>
    public SchemaEntry? Find(string idOrAltId) =>
        _byId.TryGetValue(idOrAltId, out var entry) || _byAltId.TryGetValue(idOrAltId, out entry) ? entry : null;

    public SchemaEntry? FindByTitle(string title) =>
        _byId.Values.FirstOrDefault(s => string.Equals(s.Title, title, StringComparison.Ordinal));

    /// <summary>
    /// Registers a tenant schema. Through the API the registry always assigns <c>$id</c> (as AEP does);
    /// the config file may pin one so its datasets can name the schema.
    /// </summary>
    public async Task<SchemaEntry> CreateAsync(JsonObject body, bool keepGivenId, CancellationToken ct)
    {
        var document = (JsonObject)body.DeepClone();
        var givenId = keepGivenId ? TextOf(document["$id"]) : null;
        string id, altId;
        if (!string.IsNullOrWhiteSpace(givenId))
        {
            id = givenId;
            altId = TextOf(document["meta:altId"]) ?? AltIdFor(id);
        }
        else
        {
            var key = State.Ids.NewSchemaKey();
            id = $"https://ns.adobe.com/{Tenant}/schemas/{key}";
            altId = $"_{Tenant}.schemas.{key}";
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var ordered = new JsonObject
        {
            ["$id"] = id,
            ["meta:altId"] = altId,
            ["meta:resourceType"] = "schemas",
            ["version"] = "1.0",
        };
        foreach (var (name, value) in document.ToList())
        {
            if (name is "$id" or "meta:altId" or "meta:resourceType" or "version" or "meta:registryMetadata")
            {
                continue;
            }

            document.Remove(name);
            ordered[name] = value;
        }

        ordered["meta:registryMetadata"] = new JsonObject
        {
            ["repo:createdDate"] = now,
            ["repo:lastModifiedDate"] = now,
        };

        var entry = Compile(ordered, builtIn: false);
        await _createGate.WaitAsync(ct);
        try
        {
            if (Find(entry.Id) is not null || Find(entry.AltId) is not null)
            {
                throw new SchemaDefinitionException($"a schema with $id '{entry.Id}' or meta:altId '{entry.AltId}' already exists.");
            }

            AtomicFile.WriteAllText(_layout.SchemaFile(FileKey(entry.Id)), ordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Publish(entry);
            return entry;
        }
        finally
        {
            _createGate.Release();
        }
    }

    /// <summary>Checks a schema document the way ingestion will use it; throws <see cref="SchemaDefinitionException"/>.</summary>
    public static SchemaEntry Compile(JsonObject document, bool builtIn)
    {
        var id = RequireString(document, "$id");
        var altId = TextOf(document["meta:altId"]) ?? AltIdFor(id);
        var title = document["title"] is JsonValue titleValue && titleValue.TryGetValue<string>(out var t) && !string.IsNullOrWhiteSpace(t)
            ? t
            : throw new SchemaDefinitionException("'title' is required and must be a non-empty string.");
        if (document["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type) || type != "object")
        {
            throw new SchemaDefinitionException("'type' must be \"object\": an XDM schema describes a record.");
        }

        if (document["properties"] is not null and not JsonObject)
        {
            throw new SchemaDefinitionException("'properties' must be an object.");
        }

        using var parsed = JsonDocument.Parse(document.ToJsonString());
        var root = XdmField.Parse(parsed.RootElement, string.Empty);
        var version = TextOf(document["version"]) ?? "1.0";
        return new SchemaEntry(id, altId, title, version, document, root, builtIn);
    }

    private void Publish(SchemaEntry entry)
    {
        _byId[entry.Id] = entry;
        _byAltId[entry.AltId] = entry;
    }

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string RequireString(JsonObject document, string name) =>
        document[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw new SchemaDefinitionException($"'{name}' is required and must be a non-empty string.");

    /// <summary><c>https://ns.adobe.com/acme/schemas/abc</c> → <c>_acme.schemas.abc</c>, AEP's alternative-id convention.</summary>
    private static string AltIdFor(string id)
    {
        const string prefix = "https://ns.adobe.com/";
        var rest = id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? id[prefix.Length..] : id;
        return "_" + rest.Trim('/').Replace('/', '.');
    }

    private static string FileKey(string id) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0, 16).ToLowerInvariant();

    private static JsonObject ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Built-in schema resource {name} is missing.");
        return JsonNode.Parse(stream) as JsonObject
            ?? throw new InvalidOperationException($"Built-in schema resource {name} is not a JSON object.");
    }
}
