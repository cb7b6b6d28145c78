using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Export;

/// <summary>
/// The part of the Data Access API (<c>/data/foundation/export</c>) that explains rejected batches:
/// <c>GET /batches/{id}/failed</c> lists (and with <c>?path=</c> downloads) the files of a failed batch, and
/// <c>GET /batches/{id}/meta?path=row_errors</c> lists (and with <c>row_errors/{file}</c> serves) the row-level
/// errors of a batch created with <c>enableErrorDiagnostics: true</c>. Listings page with <c>start</c> and
/// <c>limit</c> (at most 100) and give sizes as strings, as Adobe's examples do.
/// </summary>
internal sealed class DataAccessEndpoints(EmulatorContext emulator)
{
    private const int MaxLimit = 100;
    private const string RowErrors = "row_errors";

    public async Task FailedAsync(HttpContext context)
    {
        var batch = FindBatch(context);
        var path = context.Request.Query["path"].ToString();
        var failed = batch.Status == BatchStatus.Failed ? batch.FailedFiles : [];
        if (path.Length == 0)
        {
            var files = failed
                .Select(name => (Name: name, Length: batch.Files.FirstOrDefault(f => f.Name == name)?.SizeInBytes ?? 0))
                .ToList();
            await WriteListingAsync(context, batch.Id, "failed", files, name => $"failed?path={Uri.EscapeDataString(name)}");
            return;
        }

        // What was sent, as it was sent: the failed file to fix and send again.
        var file = failed.Contains(path, StringComparer.Ordinal) ? batch.Files.FirstOrDefault(f => f.Name == path) : null;
        if (file is null)
        {
            throw Problems.ExportNotFound($"Batch '{batch.Id}' has no failed file '{path}'.");
        }

        await SendFileAsync(context, emulator.Layout.UploadedFile(batch.Id, file.DiskPath), "application/octet-stream");
    }

    public async Task MetaAsync(HttpContext context)
    {
        var batch = FindBatch(context);
        var path = context.Request.Query["path"].ToString().Trim('/');
        if (path.Length == 0)
        {
            throw Problems.ExportBadRequest("The 'path' query parameter is required, e.g. path=row_errors.");
        }

        if (path != RowErrors && !path.StartsWith(RowErrors + "/", StringComparison.Ordinal))
        {
            throw Problems.ExportNotFound($"Batch '{batch.Id}' has no diagnostics at '{path}'; the emulator keeps '{RowErrors}'.");
        }

        if (!batch.EnableErrorDiagnostics)
        {
            throw Problems.DiagnosticsNotEnabled(batch.Id);
        }

        // Until the batch is processed (and for a batch whose rows were all fine) there is nothing to list.
        var directory = emulator.Layout.BatchRowErrorsDirectory(batch.Id);
        var files = Directory.Exists(directory)
            ? new DirectoryInfo(directory).EnumerateFiles("*.json").OrderBy(f => f.Name, StringComparer.Ordinal).ToList()
            : [];
        if (path == RowErrors)
        {
            await WriteListingAsync(context, batch.Id, "meta", files.Select(f => (f.Name, f.Length)).ToList(),
                name => $"meta?path={Uri.EscapeDataString(RowErrors + "/" + name)}");
            return;
        }

        // Only names the listing gives: nothing in the path can reach outside the folder.
        var wanted = path[(RowErrors.Length + 1)..];
        var match = files.FirstOrDefault(f => f.Name == wanted)
            ?? throw Problems.ExportNotFound($"Batch '{batch.Id}' has no row error file '{wanted}'.");
        await SendFileAsync(context, match.FullName, "application/json");
    }

    private BatchState FindBatch(HttpContext context)
    {
        var batchId = (string)context.Request.RouteValues["batchId"]!;
        return emulator.Batches.Find(batchId) ?? throw Problems.ExportNotFound($"Batch '{batchId}' was not found.");
    }

    private static Task WriteListingAsync(HttpContext context, string batchId, string resource, IReadOnlyList<(string Name, long Length)> files, Func<string, string> selfPath)
    {
        var start = ParseInt(context.Request.Query, "start", 0, 0, int.MaxValue);
        var limit = ParseInt(context.Request.Query, "limit", MaxLimit, 1, MaxLimit);
        var page = files.Skip(start).Take(limit).ToList();
        var root = $"{context.Request.Scheme}://{context.Request.Host}/data/foundation/export/batches/{batchId}/";
        var data = new JsonArray(page.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["length"] = f.Length.ToString(CultureInfo.InvariantCulture),
            ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = root + selfPath(f.Name) } },
        }).ToArray());

        var links = new JsonObject();
        if (start + page.Count < files.Count)
        {
            var query = context.Request.Query["path"].ToString() is { Length: > 0 } listed ? $"path={Uri.EscapeDataString(listed)}&" : string.Empty;
            links["next"] = new JsonObject { ["href"] = $"{root}{resource}?{query}start={start + page.Count}&limit={limit}" };
        }

        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["data"] = data,
            ["_page"] = new JsonObject { ["limit"] = limit, ["count"] = page.Count },
            ["_links"] = links,
        });
    }

    private static async Task SendFileAsync(HttpContext context, string path, string contentType)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = stream.Length;
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
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
            : throw Problems.ExportBadRequest($"'{name}' must be a whole number between {min} and {max}, not '{text}'.");
    }
}
