using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// A refusal by the Data Cloud Ingestion API, answered in Salesforce's list-of-errors shape
/// <c>[{"errorCode":"…","message":"…"}]</c> (with <c>Retry-After</c> seconds on 429) by the error handling middleware.
/// </summary>
internal sealed class DataCloudException(int status, string errorCode, string message, int? retryAfterSeconds = null) : Exception(message)
{
    public int Status { get; } = status;
    public string ErrorCode { get; } = errorCode;
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    public Task WriteAsync(HttpContext context)
    {
        if (RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return HttpJson.WriteAsync(context, Status, new JsonArray(new JsonObject { ["errorCode"] = ErrorCode, ["message"] = Message }));
    }
}

/// <summary>Every Data Cloud refusal, in one place so codes stay consistent.</summary>
internal static class DataCloudErrors
{
    public static DataCloudException InvalidSession() => new(401, "INVALID_SESSION_ID", "Session expired or invalid");
    public static DataCloudException InvalidInput(string message) => new(400, "INVALID_INPUT", message);
    public static DataCloudException NotFound(string message) => new(404, "NOT_FOUND", message);
    public static DataCloudException JobNotFound(string id) => NotFound($"Job '{id}' was not found.");
    public static DataCloudException JobNotOpen(string id, string state) =>
        new(409, "JOB_NOT_OPEN", $"Job '{id}' is {state}; data can only be uploaded to an Open job.");
    public static DataCloudException InvalidJobState(string message) => new(409, "INVALID_JOB_STATE", message);
    public static DataCloudException TooLarge(long limit, string what) =>
        new(413, "PAYLOAD_TOO_LARGE", $"{what} is larger than {limit} bytes, the most the Ingestion API accepts.");
    public static DataCloudException UnsupportedMediaType(string message) => new(415, "UNSUPPORTED_MEDIA_TYPE", message);
    public static DataCloudException TooManyFiles(string id, int limit) =>
        new(400, "LIMIT_EXCEEDED", $"Job '{id}' already holds {limit} files, the most a bulk job may have; close it and create another job for the rest.");
    public static DataCloudException Throttled(string message, int retryAfterSeconds) => new(429, "LIMIT_EXCEEDED", message, retryAfterSeconds);
}
