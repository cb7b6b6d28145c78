using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Schemas;

/// <summary>
/// A small part of the Schema Registry: <c>/schemaregistry/tenant/schemas</c> to create, list and fetch
/// schemas whose fields are defined inline. Enough to give datasets a schema to validate against.
/// </summary>
internal sealed class SchemaEndpoints(EmulatorContext emulator, ILogger<SchemaEndpoints> logger)
{
    private const string FullContentType = "application/vnd.adobe.xed-full+json";
    private const string XedContentType = "application/vnd.adobe.xed+json";
    private const int DefaultLimit = 25;
    private const int MaxLimit = 100;

    public async Task CreateAsync(HttpContext context)
    {
        var body = await HttpJson.ReadObjectAsync(context, Problems.SchemaBadRequest);
        SchemaEntry entry;
        try
        {
            entry = await emulator.Schemas.CreateAsync(body, keepGivenId: false, context.RequestAborted);
        }
        catch (SchemaDefinitionException ex)
        {
            throw Problems.SchemaBadRequest($"The schema cannot be used: {ex.Message}");
        }

        logger.LogInformation("Schema {SchemaId} '{Title}' created.", entry.Id, entry.Title);
        await HttpJson.WriteAsync(context, StatusCodes.Status201Created, entry.ToJson(), XedContentType + ";version=1");
    }

    /// <summary>
    /// <c>Accept: application/vnd.adobe.xed-id+json</c> (and anything else) lists ids and titles;
    /// <c>application/vnd.adobe.xed+json</c> lists whole schemas, as the registry does.
    /// </summary>
    public Task ListAsync(HttpContext context)
    {
        var limit = ParseInt(context.Request.Query, "limit", DefaultLimit, 1, MaxLimit);
        var start = ParseInt(context.Request.Query, "start", 0, 0, int.MaxValue);
        var all = emulator.Schemas.All;
        var page = all.Skip(start).Take(limit).ToList();
        var full = context.Request.Headers.Accept.ToString().Contains(XedContentType, StringComparison.OrdinalIgnoreCase);

        var results = new JsonArray(page.Select(s => (JsonNode)(full
            ? s.ToJson()
            : new JsonObject { ["$id"] = s.Id, ["meta:altId"] = s.AltId, ["version"] = s.Version, ["title"] = s.Title })).ToArray());
        var next = start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        var body = new JsonObject
        {
            ["results"] = results,
            ["_page"] = new JsonObject { ["orderby"] = "title", ["next"] = next, ["count"] = page.Count },
            ["_links"] = new JsonObject(),
        };
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, body);
    }

    /// <summary>
    /// The id is the URL-encoded <c>$id</c> or the <c>meta:altId</c>. Emulator schemas have no <c>$ref</c>s,
    /// so the "full" (resolved) form asked for with <c>xed-full+json</c> is the stored document itself.
    /// </summary>
    public Task GetAsync(HttpContext context)
    {
        var raw = (string)context.Request.RouteValues["schemaId"]!;
        var id = Uri.UnescapeDataString(raw);
        var entry = emulator.Schemas.Find(id) ?? throw Problems.SchemaNotFound(id);
        var accept = context.Request.Headers.Accept.ToString();
        var contentType = accept.Contains(FullContentType, StringComparison.OrdinalIgnoreCase)
            ? FullContentType + ";version=1"
            : XedContentType + ";version=1";
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, entry.ToJson(), contentType);
    }

    private static int ParseInt(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Problems.SchemaBadRequest($"'{name}' must be a whole number between {min} and {max}, not '{text}'.");
    }
}
