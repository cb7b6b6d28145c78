using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Http;

/// <summary>Writing JSON responses and reading JSON request bodies.</summary>
internal static class HttpJson
{
    /// <summary>Request documents (batch, dataset, schema definitions) are small; anything bigger is a mistake or abuse.</summary>
    private const int MaxJsonBodyBytes = 4 * 1024 * 1024;

    // Responses are UTF-8; names with accents read better unescaped.
    private static readonly JsonSerializerOptions ResponseOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, int status, JsonNode? body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body?.ToJsonString(ResponseOptions) ?? "null", context.RequestAborted);
    }

    public static Task WriteEmptyAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>Reads a JSON object body after checking it is declared as JSON; refusals are problem JSON.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, Func<string, ServiceException> invalid)
    {
        RequireJsonContentType(context);
        if (context.Request.ContentLength > MaxJsonBodyBytes)
        {
            throw invalid($"The JSON body is larger than {MaxJsonBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxJsonBodyBytes)
            {
                throw invalid($"The JSON body is larger than {MaxJsonBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw invalid("The request body is empty; a JSON object is required.");
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) as JsonObject
                ?? throw invalid("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw invalid($"The request body is not valid JSON: {ex.Message}");
        }
    }

    private static void RequireJsonContentType(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true))
        {
            throw Problems.UnsupportedMediaType($"Content-Type '{contentType}' is not supported here; send application/json.");
        }
    }

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
