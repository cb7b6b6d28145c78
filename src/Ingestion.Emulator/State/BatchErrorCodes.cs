namespace Ingestion.Emulator.State;

/// <summary>
/// Codes in Catalog's <c>errors[]</c>. "106" and "118" are the ones Adobe's troubleshooting guide shows;
/// 1401 is Data Access's "Row is corrupted" row-error code. The others are the emulator's own (AEP does not
/// publish a complete list), shaped like the <c>INGEST-nnnn-400</c> codes its error diagnostics show.
/// </summary>
internal static class BatchErrorCodes
{
    public const string EmptyFile = "106";
    public const string EmptyCsvHeader = "118";
    public const string CorruptRow = "INGEST-1401-400";
    public const string SchemaMismatch = "INGEST-1402-400";
    public const string NotMultiLineJson = "INGEST-1403-400";
    public const string UnknownCsvColumn = "INGEST-1404-400";
    public const string InvalidParquet = "INGEST-1405-400";
    public const string NoFiles = "INGEST-1406-400";
    public const string FailedByClient = "INGEST-1407-400";
    public const string RecordTooLarge = "INGEST-1408-400";
    public const string UnreadableFile = "INGEST-1409-400";
}
