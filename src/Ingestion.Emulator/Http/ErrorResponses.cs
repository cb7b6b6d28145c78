using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Http;

/// <summary>The two error shapes AEP uses: the gateway's <c>{"error_code","message"}</c> and the services' problem JSON.</summary>
internal static class ErrorResponses
{
    public const string ProblemContentType = "application/problem+json";
    private const string ProblemTypeBase = "https://ns.adobe.com/aep/errors/";

    public static Task WriteGatewayErrorAsync(HttpContext context, int status, string errorCode, string message) =>
        HttpJson.WriteAsync(context, status, new JsonObject { ["error_code"] = errorCode, ["message"] = message });

    public static Task WriteProblemAsync(HttpContext context, ServiceException problem) =>
        WriteProblemAsync(context, ProblemTypeBase + problem.Code, problem.Status, problem.Title, problem.Detail);

    public static Task WriteProblemAsync(HttpContext context, string type, int status, string title, string detail) =>
        HttpJson.WriteAsync(
            context,
            status,
            new JsonObject { ["type"] = type, ["status"] = status, ["title"] = title, ["detail"] = detail },
            ProblemContentType);
}
