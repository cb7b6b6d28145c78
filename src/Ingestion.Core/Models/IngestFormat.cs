namespace Ingestion.Core.Models;

/// <summary>Input formats AEP batch ingestion accepts.</summary>
public enum IngestFormat
{
    Json,
    Parquet,
    Csv,
}
