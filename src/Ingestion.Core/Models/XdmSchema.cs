using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ingestion.Core.Models;

/// <summary>
/// A Schema Registry schema as <c>application/vnd.adobe.xed-full+json</c> returns it: every <c>$ref</c>
/// resolved, so <see cref="Document"/> holds the whole field tree. The identifying fields are read out of it;
/// the document itself is kept as the service sent it, for the conversion layer to map.
/// </summary>
public sealed class XdmSchema
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The schema's <c>$id</c>, e.g. <c>https://ns.adobe.com/{tenant}/schemas/{guid}</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The <c>meta:altId</c>, e.g. <c>_{tenant}.schemas.{guid}</c>; the registry accepts it wherever it accepts the <c>$id</c>.</summary>
    public string? AltId { get; init; }

    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Version { get; init; }

    /// <summary>The raw XDM JSON. This object belongs to the caller: changing it changes nothing on the service.</summary>
    public required JsonObject Document { get; init; }

    /// <summary>The raw XDM JSON as text.</summary>
    public string ToJson(bool indented = false) => indented ? Document.ToJsonString(Indented) : Document.ToJsonString();

    public override string ToString() => Title is null ? Id : $"{Title} ({Id})";
}

/// <summary>One entry of a schema listing (<c>application/vnd.adobe.xed-id+json</c>): who the schema is, without its fields.</summary>
public sealed class XdmSchemaSummary
{
    public required string Id { get; init; }
    public string? AltId { get; init; }
    public string? Title { get; init; }
    public string? Version { get; init; }

    public override string ToString() => Title is null ? Id : $"{Title} ({Id})";
}
