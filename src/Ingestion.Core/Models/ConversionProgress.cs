namespace Ingestion.Core.Models;

/// <summary>How far a conversion is: rows written and, for files, bytes read of the total.</summary>
public readonly record struct ConversionProgress(string Source, long Rows, long BytesRead, long TotalBytes, string Phase);
