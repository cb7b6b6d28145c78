using Ingestion.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Http;

/// <summary>Every response carries <c>x-request-id</c>: the client's own when it sent a usable one, else a new one.</summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "x-request-id";

    public Task InvokeAsync(HttpContext context)
    {
        var given = context.Request.Headers[HeaderName].ToString();
        var requestId = IsUsable(given) ? given : Ids.NewRequestId();
        context.Items[HeaderName] = requestId;
        context.Response.Headers[HeaderName] = requestId;
        return next(context);
    }

    public static string Of(HttpContext context) => context.Items[HeaderName] as string ?? string.Empty;

    private static bool IsUsable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is > ' ' and < '\u007f');
}
