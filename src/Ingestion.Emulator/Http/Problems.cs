namespace Ingestion.Emulator.Http;

/// <summary>Every refusal the emulated services give, in one place so codes and titles stay consistent.</summary>
internal static class Problems
{
    // Batch ingestion (/data/foundation/import)
    public static ServiceException InvalidBody(string detail) => new(400, "INGEST-1001-400", "Bad Request", detail);
    public static ServiceException InvalidBatchRequest(string detail) => new(400, "INGEST-1002-400", "Bad Request", detail);
    public static ServiceException DatasetNotFound(string datasetId) =>
        new(404, "INGEST-1003-404", "Not Found", $"Dataset '{datasetId}' was not found.");
    public static ServiceException BatchNotFound(string batchId) =>
        new(404, "INGEST-1004-404", "Not Found", $"Batch '{batchId}' was not found.");
    public static ServiceException BatchState(string detail) => new(400, "INGEST-1005-400", "Bad Request", detail);
    public static ServiceException DatasetMismatch(string batchId, string batchDataset, string requested) =>
        new(400, "INGEST-1006-400", "Bad Request", $"Batch '{batchId}' belongs to dataset '{batchDataset}', not '{requested}'.");
    public static ServiceException InvalidFilePath(string detail) => new(400, "INGEST-1007-400", "Bad Request", detail);
    public static ServiceException FileTooLarge(long limit) =>
        new(413, "INGEST-1008-413", "Payload Too Large",
            $"Files larger than {limit} bytes (256 MB) cannot be sent in one request; use the large file upload (INITIALIZE, PATCH chunks, COMPLETE).");
    public static ServiceException UnsupportedMediaType(string detail) => new(415, "INGEST-1009-415", "Unsupported Media Type", detail);
    public static ServiceException InvalidAction(string detail) => new(400, "INGEST-1010-400", "Bad Request", detail);
    public static ServiceException FilePathConflict(string detail) => new(409, "INGEST-1011-409", "Conflict", detail);
    public static ServiceException UriTooLong(int length, int limit) =>
        new(414, "INGEST-1013-414", "URI Too Long", $"The request URI is {length} characters long; the limit is {limit}.");
    public static ServiceException NotSupported(string detail) => new(501, "INGEST-1014-501", "Not Implemented", detail);
    public static ServiceException TooManyFiles(string batchId, int limit) =>
        new(400, "INGEST-1015-400", "Bad Request", $"Batch '{batchId}' already holds {limit} files, the most a batch may have.");
    public static ServiceException ChunkTooLarge(long size, long limit) =>
        new(413, "INGEST-1017-413", "Payload Too Large",
            $"A chunk of {size} bytes is too large; each PATCH of a large file may carry at most {limit} bytes.");
    public static ServiceException InvalidContentRange(string detail) => new(400, "INGEST-1018-400", "Bad Request", detail);
    public static ServiceException InvalidChunk(string detail) => new(400, "INGEST-1019-400", "Bad Request", detail);
    public static ServiceException InvalidChunks(string detail) => new(400, "INGEST-1020-400", "Bad Request", detail);
    public static ServiceException UploadNotFound(string batchId, string name) =>
        new(404, "INGEST-1021-404", "Not Found",
            $"Batch '{batchId}' has no file '{name}' and no large file upload of that name; start one with POST ?action=INITIALIZE.");
    public static ServiceException FileAlreadyCompleted(string detail) => new(400, "INGEST-1022-400", "Bad Request", detail);
    public static ServiceException FileNotInitialized(string detail) => new(400, "INGEST-1023-400", "Bad Request", detail);
    public static ServiceException LargeFileInProgress(string batchId, string name) =>
        new(400, "INGEST-1024-400", "Bad Request",
            $"Batch '{batchId}' cannot be completed: the large file '{name}' is still being uploaded; send POST ?action=COMPLETE for that file first.");
    public static ServiceException UpsertNeedsParquet(string datasetId, string format) =>
        new(400, "INGEST-1016-400", "Bad Request",
            $"Dataset '{datasetId}' takes upserts (tag unifiedProfile has isUpsert:true), and batches of an upsert dataset must be Parquet; "
            + $"'{format}' is not accepted. Convert the data to Parquet, or use a dataset without isUpsert:true.");
    public static ServiceException DiagnosticsNotEnabled(string batchId) =>
        new(400, "INGEST-1211-400", "Bad Request",
            $"Batch '{batchId}' was created without error diagnostics, so no row-level errors were kept. "
            + "Please resend the data with error diagnostics enabled (enableErrorDiagnostics: true) to collect additional information on failure types.");

    // Data Access (/data/foundation/export)
    public static ServiceException ExportBadRequest(string detail) => new(400, "EXPORT-4001-400", "Bad Request", detail);
    public static ServiceException ExportNotFound(string detail) => new(404, "EXPORT-4002-404", "Not Found", detail);

    // Catalog (/data/foundation/catalog)
    public static ServiceException CatalogBadRequest(string detail) => new(400, "CATALOG-2001-400", "Bad Request", detail);
    public static ServiceException CatalogNotFound(string kind, string id) =>
        new(404, "CATALOG-2002-404", "Not Found", $"{kind} '{id}' was not found.");

    // Schema Registry (/data/foundation/schemaregistry)
    public static ServiceException SchemaBadRequest(string detail) => new(400, "XDM-3001-400", "Bad Request", detail);
    public static ServiceException SchemaNotFound(string id) =>
        new(404, "XDM-3002-404", "Not Found", $"Schema '{id}' was not found in the tenant or global container.");

    public static ServiceException RouteNotFound(string method, string path) =>
        new(404, "EMULATOR-0404-404", "Not Found", $"The emulator has no endpoint for {method} {path}.");
    public static ServiceException MethodNotAllowed(string method, string path) =>
        new(405, "EMULATOR-0405-405", "Method Not Allowed", $"{path} does not accept {method}.");

    // The emulator's own control routes (/emulator/…)
    public static ServiceException InvalidFaultSettings(string detail) => new(400, "EMULATOR-1001-400", "Bad Request", detail);
    public static ServiceException FaultControlForbidden() =>
        new(403, "EMULATOR-1002-403", "Forbidden", "Fault injection can only be changed from the machine the emulator runs on (127.0.0.1).");
}
