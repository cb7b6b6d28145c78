using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// What every <c>/api/v1/ingest/…</c> call passes first: <c>Authorization: Bearer &lt;Data Cloud token&gt;</c>, else 401
/// <c>[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]</c>. Also reads request bodies with a
/// size limit and answers refusals in the Ingestion API's error list shape.
/// </summary>
internal sealed class DataCloudGatewayMiddleware(RequestDelegate next, DataCloudService dataCloud)
{
    public static readonly PathString Prefix = "/api/v1/ingest";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            || !dataCloud.Tokens.IsValidDataCloudToken(authorization[bearer.Length..].Trim()))
        {
            await DataCloudErrors.InvalidSession().WriteAsync(context);
            return;
        }

        await next(context);
    }
}

internal static class DataCloudRequests
{
    /// <summary>The whole body, refused with 413 above <paramref name="limit"/> bytes (by Content-Length before reading when given).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context, long limit, string what)
    {
        if (context.Request.ContentLength > limit)
        {
            throw DataCloudErrors.TooLarge(limit, what);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw DataCloudErrors.TooLarge(limit, what);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static void RequireMediaType(HttpContext context, string mediaType)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media)
            || !media.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw DataCloudErrors.UnsupportedMediaType($"Content-Type '{context.Request.ContentType}' is not supported here; send {mediaType}.");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, long limit)
    {
        RequireMediaType(context, "application/json");
        var body = await ReadBodyAsync(context, limit, "The request body");
        if (body.Length == 0)
        {
            throw DataCloudErrors.InvalidInput("The request body is empty; a JSON object is required.");
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw DataCloudErrors.InvalidInput("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw DataCloudErrors.InvalidInput($"The request body is not valid JSON: {ex.Message}");
        }
    }

    public static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    public static string? Text(JsonNode? node) => HttpJson.Text(node);
}
