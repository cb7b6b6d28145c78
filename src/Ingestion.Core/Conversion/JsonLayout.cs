namespace Ingestion.Core.Conversion;

/// <summary>How records are laid out in a JSON file.</summary>
public enum JsonLayout
{
    /// <summary>Decided by the first character: '[' is an array, anything else JSON Lines.</summary>
    Auto,

    /// <summary>One object after another, usually one per line (AEP's default, "single-line JSON").</summary>
    Lines,

    /// <summary>One array of objects (AEP's "multi-line JSON").</summary>
    Array,
}
