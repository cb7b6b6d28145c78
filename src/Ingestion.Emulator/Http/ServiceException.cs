namespace Ingestion.Emulator.Http;

/// <summary>
/// A refusal by one of the emulated services, answered as problem JSON
/// (<c>{"type","status","title","detail"}</c>) by <see cref="ErrorHandlingMiddleware"/>.
/// </summary>
internal sealed class ServiceException(int status, string code, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>Shaped like AEP's <c>INGEST-1212-400</c>; the numbers are the emulator's own, AEP does not publish its list.</summary>
    public string Code { get; } = code;

    public string Title { get; } = title;

    public string Detail { get; } = detail;
}
