using System.Text.Json.Nodes;

namespace Ingestion.Emulator.Schemas;

/// <summary>A registered schema: the document clients see and the compiled form ingestion validates against.</summary>
internal sealed record SchemaEntry(string Id, string AltId, string Title, string Version, JsonObject Document, XdmField Root, bool BuiltIn)
{
    /// <summary>The body of <c>GET /schemas/{id}</c>; a copy, so callers cannot change the registry.</summary>
    public JsonObject ToJson() => (JsonObject)Document.DeepClone();
}
