using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ingestion.Emulator.Storage;

/// <summary>One set of serializer settings for everything the emulator keeps on disk, so files stay readable and diffable.</summary>
internal static class PersistenceJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
