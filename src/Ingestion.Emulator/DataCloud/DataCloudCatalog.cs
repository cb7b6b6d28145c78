using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Config;
using Ingestion.Emulator.Http;

namespace Ingestion.Emulator.DataCloud;

/// <summary>The field types of an Ingestion API object's schema that the emulator checks values against.</summary>
internal enum DataCloudFieldType
{
    Text,
    Number,
    Date,
    DateTime,
    Boolean,
}

internal sealed record DataCloudField(string Name, DataCloudFieldType Type, bool PrimaryKey);

/// <summary>One object of an Ingestion API source (connector): its fields, exactly one of them the primary key.</summary>
internal sealed record DataCloudObject(string Source, string Name, IReadOnlyList<DataCloudField> Fields)
{
    public DataCloudField PrimaryKey => Fields.Single(f => f.PrimaryKey);

    public DataCloudField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>Null when <paramref name="text"/> is a valid value of <paramref name="field"/>; else why not. Empty means null.</summary>
    public static string? CheckText(DataCloudField field, string text)
    {
        if (text.Length == 0)
        {
            return field.PrimaryKey ? $"the primary key '{field.Name}' must not be empty" : null;
        }

        return field.Type switch
        {
            DataCloudFieldType.Number when !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) =>
                $"'{text}' is not a number (field '{field.Name}')",
            DataCloudFieldType.Date when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) =>
                $"'{text}' is not a date yyyy-MM-dd (field '{field.Name}')",
            DataCloudFieldType.DateTime when !IsDateTime(text) =>
                $"'{text}' is not an ISO 8601 date-time such as 2026-01-31T13:45:00.000Z (field '{field.Name}')",
            DataCloudFieldType.Boolean when text is not ("true" or "false" or "TRUE" or "FALSE" or "True" or "False") =>
                $"'{text}' is not a boolean true/false (field '{field.Name}')",
            _ => null,
        };
    }

    /// <summary>Null when the JSON value fits the field (null fits every field but the primary key); else why not.</summary>
    public static string? CheckJson(DataCloudField field, JsonNode? value)
    {
        if (value is null)
        {
            return field.PrimaryKey ? $"the primary key '{field.Name}' must not be null" : null;
        }

        if (value is not JsonValue scalar)
        {
            return $"field '{field.Name}' must be a single value, not {value.GetValueKind().ToString().ToLowerInvariant()}";
        }

        return field.Type switch
        {
            DataCloudFieldType.Number when scalar.GetValueKind() == System.Text.Json.JsonValueKind.Number => null,
            DataCloudFieldType.Boolean when scalar.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => null,
            _ when scalar.TryGetValue<string>(out var text) => CheckText(field, text),
            _ => $"field '{field.Name}' must be {Describe(field.Type)}",
        };
    }

    /// <summary>A CSV value as it is stored: numbers and booleans as JSON numbers and booleans, empty as null.</summary>
    public static JsonNode? ToJson(DataCloudField field, string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        return field.Type switch
        {
            DataCloudFieldType.Number => JsonValue.Create(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            DataCloudFieldType.Boolean => JsonValue.Create(bool.Parse(text)),
            _ => JsonValue.Create(text),
        };
    }

    public static bool IsDateTime(string text) =>
        text.Length >= 19 && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static string Describe(DataCloudFieldType type) => type switch
    {
        DataCloudFieldType.Number => "a number",
        DataCloudFieldType.Boolean => "a boolean",
        _ => "a string",
    };
}

/// <summary>
/// The Ingestion API sources (connectors) and their objects: the built-in <c>emulator_connector</c> and the config file's.
/// <code>
/// "dataCloud": {
///   "sources": [ { "name": "my_api_connector", "objects": [ { "name": "orders", "fields": [
///       { "name": "order_id", "type": "text", "primaryKey": true }, { "name": "amount", "type": "number" } ] } ] } ],
///   "connectedApps": [ { "consumerKey": "3MVG9…", "publicKeyPath": "app.pub.pem" } ],
///   "tokenLifetimeSeconds": 7200 }
/// </code>
/// Field types: text (also email, phone, url), number (also percent, currency), date, datetime, boolean.
/// </summary>
internal sealed class DataCloudCatalog
{
    public const string BuiltInSource = "emulator_connector";

    private static readonly HashSet<string> Keys = ["sources", "connectedApps", "tokenLifetimeSeconds"];

    private readonly Dictionary<(string, string), DataCloudObject> _objects;

    public DataCloudCatalog(IEnumerable<DataCloudObject> objects, IReadOnlyList<ConnectedApp> connectedApps, TimeSpan? tokenLifetime)
    {
        _objects = objects.ToDictionary(o => (o.Source, o.Name));
        ConnectedApps = connectedApps;
        TokenLifetime = tokenLifetime;
    }

    public static IReadOnlyList<DataCloudObject> BuiltInObjects { get; } =
    [
        new(BuiltInSource, "orders",
        [
            new("order_id", DataCloudFieldType.Text, true),
            new("customer_id", DataCloudFieldType.Text, false),
            new("amount", DataCloudFieldType.Number, false),
            new("currency", DataCloudFieldType.Text, false),
            new("created", DataCloudFieldType.DateTime, false),
        ]),
        new(BuiltInSource, "customers",
        [
            new("customer_id", DataCloudFieldType.Text, true),
            new("email", DataCloudFieldType.Text, false),
            new("first_name", DataCloudFieldType.Text, false),
            new("last_name", DataCloudFieldType.Text, false),
            new("updated", DataCloudFieldType.DateTime, false),
        ]),
    ];

    public static DataCloudCatalog BuiltInOnly { get; } = new(BuiltInObjects, [], null);

    /// <summary>Consumer keys besides the built-in one, each with the public key its JWTs are verified with.</summary>
    public IReadOnlyList<ConnectedApp> ConnectedApps { get; }

    /// <summary>The config's lifetime of Data Cloud tokens; null: the default (7200 s).</summary>
    public TimeSpan? TokenLifetime { get; }

    public IEnumerable<DataCloudObject> Objects => _objects.Values.OrderBy(o => o.Source, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal);

    public bool HasSource(string source) => _objects.Keys.Any(k => k.Item1 == source);

    public DataCloudObject? Find(string source, string name) => _objects.GetValueOrDefault((source, name));

    public static DataCloudCatalog? Parse(string path, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject dataCloud)
        {
            throw EmulatorConfig.Invalid(path, "'dataCloud' must be an object with 'sources', 'connectedApps' and/or 'tokenLifetimeSeconds'.");
        }

        foreach (var key in dataCloud.Select(p => p.Key).Where(k => !Keys.Contains(k)))
        {
            throw EmulatorConfig.Invalid(path, $"dataCloud has an unknown property '{key}'; expected sources, connectedApps, tokenLifetimeSeconds.");
        }

        var objects = new List<DataCloudObject>(BuiltInObjects);
        foreach (var (item, index) in Items(path, dataCloud["sources"], "dataCloud.sources"))
        {
            var name = $"dataCloud.sources[{index}]";
            if (item is not JsonObject source || HttpJson.Text(source["name"]) is not { } sourceName || !IsApiName(sourceName))
            {
                throw EmulatorConfig.Invalid(path, $"{name} must be an object with a 'name' (letters, digits and '_') and 'objects'.");
            }

            if (sourceName == BuiltInSource)
            {
                throw EmulatorConfig.Invalid(path, $"{name} may not be called '{BuiltInSource}', the built-in source.");
            }

            foreach (var (objectItem, objectIndex) in Items(path, source["objects"], $"{name}.objects"))
            {
                var parsed = ParseObject(path, objectItem, $"{name}.objects[{objectIndex}]", sourceName);
                if (objects.Any(o => o.Source == parsed.Source && o.Name == parsed.Name))
                {
                    throw EmulatorConfig.Invalid(path, $"{name} declares object '{parsed.Name}' twice.");
                }

                objects.Add(parsed);
            }
        }

        var apps = new List<ConnectedApp>();
        var configDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var (item, index) in Items(path, dataCloud["connectedApps"], "dataCloud.connectedApps"))
        {
            var name = $"dataCloud.connectedApps[{index}]";
            if (item is not JsonObject app || HttpJson.Text(app["consumerKey"]) is not { Length: > 0 } consumerKey
                || HttpJson.Text(app["publicKeyPath"]) is not { Length: > 0 } keyPath)
            {
                throw EmulatorConfig.Invalid(path, $"{name} must be an object with 'consumerKey' and 'publicKeyPath' (a PEM public key or certificate).");
            }

            var fullPath = Path.GetFullPath(keyPath, configDirectory);
            string pem;
            try
            {
                pem = File.ReadAllText(fullPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw EmulatorConfig.Invalid(path, $"{name}.publicKeyPath '{fullPath}' cannot be read: {ex.Message}", ex);
            }

            try
            {
                apps.Add(new ConnectedApp(consumerKey, DataCloudKeys.PublicKeyFromPem(pem)));
            }
            catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw EmulatorConfig.Invalid(path, $"{name}.publicKeyPath '{fullPath}' holds no RSA public key or certificate: {ex.Message}", ex);
            }
        }

        TimeSpan? lifetime = null;
        if (dataCloud["tokenLifetimeSeconds"] is { } lifetimeNode)
        {
            if (lifetimeNode is not JsonValue value || !value.TryGetValue<double>(out var seconds) || seconds < 1 || seconds > int.MaxValue)
            {
                throw EmulatorConfig.Invalid(path, "dataCloud.tokenLifetimeSeconds must be a number of seconds, at least 1.");
            }

            lifetime = TimeSpan.FromSeconds(seconds);
        }

        return new DataCloudCatalog(objects, apps, lifetime);
    }

    private static DataCloudObject ParseObject(string path, JsonNode? node, string name, string source)
    {
        if (node is not JsonObject json || HttpJson.Text(json["name"]) is not { } objectName || !IsApiName(objectName))
        {
            throw EmulatorConfig.Invalid(path, $"{name} must be an object with a 'name' (letters, digits and '_') and 'fields'.");
        }

        var fields = new List<DataCloudField>();
        foreach (var (item, index) in Items(path, json["fields"], $"{name}.fields"))
        {
            var fieldName = $"{name}.fields[{index}]";
            if (item is not JsonObject field || HttpJson.Text(field["name"]) is not { } text || !IsApiName(text))
            {
                throw EmulatorConfig.Invalid(path, $"{fieldName} must be an object with a 'name' (letters, digits and '_') and a 'type'.");
            }

            var type = (HttpJson.Text(field["type"]) ?? "text").ToLowerInvariant() switch
            {
                "text" or "string" or "email" or "phone" or "url" => DataCloudFieldType.Text,
                "number" or "percent" or "currency" => DataCloudFieldType.Number,
                "date" => DataCloudFieldType.Date,
                "datetime" => DataCloudFieldType.DateTime,
                "boolean" => DataCloudFieldType.Boolean,
                var other => throw EmulatorConfig.Invalid(path, $"{fieldName}.type '{other}' is not one of text, number, date, datetime, boolean."),
            };
            var primaryKey = field["primaryKey"] is JsonValue pk && pk.TryGetValue<bool>(out var flag) && flag;
            if (fields.Any(f => f.Name == text))
            {
                throw EmulatorConfig.Invalid(path, $"{name} declares field '{text}' twice.");
            }

            fields.Add(new DataCloudField(text, type, primaryKey));
        }

        if (fields.Count(f => f.PrimaryKey) != 1)
        {
            throw EmulatorConfig.Invalid(path, $"{name} ('{objectName}') must have exactly one field with \"primaryKey\": true.");
        }

        return new DataCloudObject(source, objectName, fields);
    }

    private static bool IsApiName(string text) =>
        text.Length is > 0 and <= 80 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static IEnumerable<(JsonNode? Item, int Index)> Items(string path, JsonNode? node, string name)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw EmulatorConfig.Invalid(path, $"'{name}' must be an array.");
        }

        return array.Select((item, index) => (item, index));
    }
}

/// <summary>A connected app the login endpoint knows: its consumer key (the JWT's <c>iss</c>) and certificate's public key.</summary>
internal sealed record ConnectedApp(string ConsumerKey, System.Security.Cryptography.RSA PublicKey);
