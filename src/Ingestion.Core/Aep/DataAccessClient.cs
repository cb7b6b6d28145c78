using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Models;

namespace Ingestion.Core.Aep;

/// <summary>
/// AEP Data Access API (<c>/data/foundation/export</c>): the failed files of a batch and its error diagnostics.
/// Everything here is a GET, so every call is retried like any other read.
/// </summary>
public sealed class DataAccessClient
{
    /// <summary>What the service answers for a batch created without <c>enableErrorDiagnostics</c>.</summary>
    public const string DiagnosticsNotEnabledCode = "INGEST-1211-400";

    /// <summary>The <c>meta</c> folder that holds the row-level error files.</summary>
    public const string RowErrorsPath = "row_errors";

    private const string Base = "data/foundation/export/";
    private const int PageSize = 100;

    // One row error holds one rejected row; the emulator keeps rows of up to 32 MB.
    private const int MaxRowErrorChars = 64 * 1024 * 1024;

    private readonly PlatformConnection connection;

    internal DataAccessClient(PlatformConnection connection) => this.connection = connection;

    /// <summary>Whether <paramref name="exception"/> says the batch has no diagnostics because it was created without them.</summary>
    public static bool IsDiagnosticsNotEnabled(IngestionException exception) =>
        string.Equals(exception?.ServiceErrorCode, DiagnosticsNotEnabledCode, StringComparison.OrdinalIgnoreCase);

    /// <summary>The files of a failed batch (<c>GET /batches/{id}/failed</c>), a page at a time.</summary>
    public IAsyncEnumerable<BatchExportFile> GetFailedFilesAsync(string batchId, CancellationToken cancellationToken)
    {
        ServiceId.Check(batchId, "BatchId");
        return ListAsync(batchId, $"{Base}batches/{batchId}/failed?", string.Format(Messages.OpListFailedFiles, batchId), cancellationToken);
    }

    /// <summary>Copies one failed file (<c>GET /batches/{id}/failed?path=</c>) to <paramref name="destination"/>; returns the bytes copied.</summary>
    public async Task<long> DownloadFailedFileAsync(string batchId, string name, Stream destination, CancellationToken cancellationToken)
    {
        ServiceId.Check(batchId, "BatchId");
        ArgumentNullException.ThrowIfNull(destination);
        RemotePath.Validate(name);
        var operation = string.Format(Messages.OpDownloadFailedFile, name, batchId);
        using var response = await GetAsync($"{Base}batches/{batchId}/failed?path={Uri.EscapeDataString(name)}", operation, batchId, name, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        long total = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }

            return total;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw ServiceErrorReader.FromTransport(ex, operation, name, 1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The files under a diagnostics folder (<c>GET /batches/{id}/meta?path=</c>), e.g. <see cref="RowErrorsPath"/>.</summary>
    public IAsyncEnumerable<BatchExportFile> ListMetaAsync(string batchId, string path, CancellationToken cancellationToken)
    {
        ServiceId.Check(batchId, "BatchId");
        RemotePath.Validate(path);
        return ListAsync(batchId, $"{Base}batches/{batchId}/meta?path={Uri.EscapeDataString(path)}&", string.Format(Messages.OpListMeta, path, batchId), cancellationToken);
    }

    /// <summary>
    /// Every row-level error of a batch: lists <c>row_errors</c>, then reads each file as it streams in,
    /// one <see cref="BatchRowError"/> per error of each row. A batch created without error diagnostics
    /// fails with an <see cref="IngestionException"/> for which <see cref="IsDiagnosticsNotEnabled"/> is true.
    /// </summary>
    public async IAsyncEnumerable<BatchRowError> GetRowErrorsAsync(string batchId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var file in ListMetaAsync(batchId, RowErrorsPath, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var error in ReadRowErrorsAsync(batchId, file.Name, cancellationToken).ConfigureAwait(false))
            {
                yield return error;
            }
        }
    }

    /// <summary>Reads one row-error file (<c>meta?path=row_errors/{name}</c>), one object at a time.</summary>
    public async IAsyncEnumerable<BatchRowError> ReadRowErrorsAsync(string batchId, string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ServiceId.Check(batchId, "BatchId");
        var path = name.StartsWith(RowErrorsPath + "/", StringComparison.Ordinal) ? name : $"{RowErrorsPath}/{name}";
        RemotePath.Validate(path);
        var operation = string.Format(Messages.OpReadRowErrors, path, batchId);
        using var response = await GetAsync($"{Base}batches/{batchId}/meta?path={Uri.EscapeDataString(path)}", operation, batchId, path, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var text = new StreamReader(body, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var splitter = new JsonObjectSplitter(text, MaxRowErrorChars);
        while (true)
        {
            string? item;
            try
            {
                item = await splitter.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.RowErrorFileUnreadable, path, batchId, ex.Message), ex) { Target = batchId };
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw ServiceErrorReader.FromTransport(ex, operation, batchId, 1);
            }

            if (item is null)
            {
                yield break;
            }

            foreach (var error in ReadRowError(batchId, path, item, splitter.Line))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<BatchRowError> ReadRowError(string batchId, string source, string item, long line)
    {
        JsonObject? row;
        try
        {
            row = JsonNode.Parse(item) as JsonObject;
        }
        catch (JsonException)
        {
            row = null;
        }

        if (row is null)
        {
            yield return new BatchRowError
            {
                BatchId = batchId,
                Source = source,
                Message = string.Format(Messages.RowErrorNotAnObject, source, line),
                Record = item,
            };
            yield break;
        }

        var file = AepJson.String(row, "_filename");
        var rowNumber = AepJson.Long(row, "_row");
        var record = row["_corrupt_record"] switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            null => null,
            var other => other.ToJsonString(),
        };

        var errors = (row["_errors"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (errors.Count == 0)
        {
            yield return new BatchRowError { BatchId = batchId, File = file, Row = rowNumber, Record = record, Source = source };
            yield break;
        }

        foreach (var error in errors)
        {
            yield return new BatchRowError
            {
                BatchId = batchId,
                File = file,
                Row = rowNumber,
                Code = AepJson.String(error, "code"),
                Message = AepJson.String(error, "message"),
                Record = record,
                Source = source,
            };
        }
    }

    private async IAsyncEnumerable<BatchExportFile> ListAsync(string batchId, string pathAndQuery, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var start = 0; ; start += PageSize)
        {
            using var response = await GetAsync($"{pathAndQuery}start={start}&limit={PageSize}", operation, batchId, batchId, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var root = await connection.ReadJsonAsync(response, operation, cancellationToken).ConfigureAwait(false);
            if (root is not JsonObject page || page["data"] is not JsonArray data)
            {
                throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBody, operation, status)) { Target = batchId };
            }

            foreach (var item in data)
            {
                if (AepJson.String(item, "name") is { Length: > 0 } name)
                {
                    yield return new BatchExportFile
                    {
                        BatchId = batchId,
                        Name = name,
                        Length = AepJson.Long(item, "length"),
                        Href = AepJson.String(item?["_links"]?["self"], "href"),
                    };
                }
            }

            // A short page is the last; so is a full one whose links name no next page.
            if (data.Count < PageSize || (page["_links"] is JsonObject links && links["next"] is null))
            {
                yield break;
            }
        }
    }

    /// <summary>A GET that is safe to retry; "diagnostics not enabled" becomes an error that says what to do.</summary>
    private async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string operation, string batchId, object target, CancellationToken cancellationToken)
    {
        using var message = connection.Request(HttpMethod.Get, pathAndQuery).MarkIdempotent();
        try
        {
            return await connection.SendAsync(message, operation, target, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (IsDiagnosticsNotEnabled(ex))
        {
            throw ex.Restate(string.Format(Messages.DiagnosticsNotEnabled, batchId), IngestErrorKind.InvalidState, batchId, Messages.DiagnosticsNotEnabledAction);
        }
    }
}
