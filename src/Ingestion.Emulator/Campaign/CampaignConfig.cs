using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Config;
using Ingestion.Emulator.Http;

namespace Ingestion.Emulator.Campaign;

/// <summary>
/// The config file's <c>campaign</c> object: more Campaign instances and XDM mappings besides the built-ins.
/// <code>
/// "campaign": {
///   "tenants":  [ "acme", "acme-mkt-stage" ],
///   "mappings": [ { "id": "profiles", "tenant": "acme", "published": true, "stopped": true, "records": 14,
///                   "outcome": "success" | "failure" | "abort", "errorCode": "ACP-880096", "errorMessage": "…",
///                   "failAfterBatch": true, "abortAfterRecords": 5, "delaySeconds": 2 } ] }
/// </code>
/// Every mapping key but <c>id</c> is optional; <c>tenant</c> must be <c>emulator</c> or one of <c>tenants</c>.
/// </summary>
internal static class CampaignConfig
{
    private const double MaxRecords = 1e12;

    private static readonly HashSet<string> Keys = ["tenants", "mappings"];

    private static readonly HashSet<string> MappingKeys =
        ["id", "tenant", "published", "stopped", "records", "outcome", "errorCode", "errorMessage", "failAfterBatch", "abortAfterRecords", "delaySeconds"];

    public static CampaignCatalog? Parse(string path, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject campaign)
        {
            throw EmulatorConfig.Invalid(path, "'campaign' must be an object with 'tenants' and/or 'mappings'.");
        }

        foreach (var key in campaign.Select(p => p.Key).Where(k => !Keys.Contains(k)))
        {
            throw EmulatorConfig.Invalid(path, $"campaign has an unknown property '{key}'; expected tenants, mappings.");
        }

        var tenants = new List<string> { CampaignMapping.BuiltInTenant };
        foreach (var (item, index) in Items(path, campaign["tenants"], "campaign.tenants"))
        {
            var tenant = HttpJson.Text(item);
            if (tenant is null || !IsWellFormedId(tenant))
            {
                throw EmulatorConfig.Invalid(path, $"campaign.tenants[{index}] must be a tenant id: 1 to 128 letters, digits, '-', '_' or '.'.");
            }

            tenants.Add(tenant);
        }

        var mappings = new List<CampaignMapping>();
        var seen = new HashSet<(string, string)>();
        foreach (var (item, index) in Items(path, campaign["mappings"], "campaign.mappings"))
        {
            var mapping = ParseMapping(path, item, $"campaign.mappings[{index}]", tenants);
            if (!seen.Add((mapping.Tenant, mapping.Id)))
            {
                throw EmulatorConfig.Invalid(path, $"campaign.mappings[{index}] repeats mapping '{mapping.Id}' of tenant '{mapping.Tenant}'.");
            }

            mappings.Add(mapping);
        }

        return new CampaignCatalog(tenants, mappings);
    }

    private static CampaignMapping ParseMapping(string path, JsonNode? node, string name, List<string> tenants)
    {
        if (node is not JsonObject mapping)
        {
            throw EmulatorConfig.Invalid(path, $"{name} must be an object with at least 'id'.");
        }

        foreach (var key in mapping.Select(p => p.Key).Where(k => !MappingKeys.Contains(k)))
        {
            throw EmulatorConfig.Invalid(path, $"{name} has an unknown property '{key}'; expected {string.Join(", ", MappingKeys)}.");
        }

        var id = HttpJson.Text(mapping["id"]);
        if (id is null || !IsWellFormedId(id))
        {
            throw EmulatorConfig.Invalid(path, $"{name}.id is required: 1 to 128 letters, digits, '-', '_' or '.'.");
        }

        name = $"{name} ('{id}')";
        var tenant = mapping["tenant"] is null ? CampaignMapping.BuiltInTenant : HttpJson.Text(mapping["tenant"]);
        if (tenant is null || !tenants.Contains(tenant, StringComparer.Ordinal))
        {
            throw EmulatorConfig.Invalid(path, $"{name}.tenant must be '{CampaignMapping.BuiltInTenant}' or one of campaign.tenants ({string.Join(", ", tenants)}).");
        }

        var outcome = HttpJson.Text(mapping["outcome"] ?? "success") switch
        {
            "success" => CampaignOutcome.Success,
            "failure" => CampaignOutcome.Failure,
            "abort" => CampaignOutcome.Abort,
            _ => throw EmulatorConfig.Invalid(path, $"{name}.outcome must be \"success\", \"failure\" or \"abort\"."),
        };

        var errorCode = mapping["errorCode"] is null ? CampaignMapping.DefaultErrorCode : HttpJson.Text(mapping["errorCode"]);
        if (string.IsNullOrWhiteSpace(errorCode))
        {
            throw EmulatorConfig.Invalid(path, $"{name}.errorCode must be a non-empty string such as \"ACP-880096\".");
        }

        var errorMessage = mapping["errorMessage"] is null ? CampaignMapping.MessageFor(errorCode) : HttpJson.Text(mapping["errorMessage"]);
        if (string.IsNullOrWhiteSpace(errorMessage))
        {
            throw EmulatorConfig.Invalid(path, $"{name}.errorMessage must be a non-empty string.");
        }

        var delay = Number(path, mapping, name, "delaySeconds", CampaignMapping.DefaultDelay.TotalSeconds, max: 86400);
        var abortAfter = mapping["abortAfterRecords"] is null ? (long?)null : (long)Number(path, mapping, name, "abortAfterRecords", 0, max: MaxRecords, whole: true);

        return new CampaignMapping(
            id,
            tenant,
            Published: Flag(path, mapping, name, "published", true),
            Stopped: Flag(path, mapping, name, "stopped", true),
            Records: (long)Number(path, mapping, name, "records", CampaignMapping.DefaultRecords, max: MaxRecords, whole: true),
            outcome,
            errorCode,
            errorMessage,
            FailAfterBatch: Flag(path, mapping, name, "failAfterBatch", CampaignMapping.DefaultFailAfterBatch(errorCode)),
            abortAfter,
            TimeSpan.FromSeconds(delay));
    }

    private static bool Flag(string path, JsonObject mapping, string name, string key, bool fallback) => mapping[key] switch
    {
        null => fallback,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        _ => throw EmulatorConfig.Invalid(path, $"{name}.{key} must be true or false."),
    };

    private static double Number(string path, JsonObject mapping, string name, string key, double fallback, double max, bool whole = false)
    {
        if (mapping[key] is null)
        {
            return fallback;
        }

        if (mapping[key] is JsonValue value && value.TryGetValue<double>(out var number)
            && double.IsFinite(number) && number >= 0 && number <= max && (!whole || Math.Floor(number) == number))
        {
            return number;
        }

        var what = whole ? "a whole number" : "a number";
        throw EmulatorConfig.Invalid(path, $"{name}.{key} must be {what} from 0 to {max.ToString(CultureInfo.InvariantCulture)}.");
    }

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

    public static bool IsWellFormedId(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && id is not "." and not "..";
}
