using Ingestion.Core.Errors;

namespace Ingestion.Core.Aep;

/// <summary>
/// Batch, dataset and schema-free ids go into URL paths: refuse anything that could change the path
/// before it leaves the machine, with a message naming the parameter.
/// </summary>
internal static class ServiceId
{
    private const int MaxLength = 128;

    public static string Check(string? id, string what)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.ValueRequired, what)) { Target = id };
        }

        if (id.Length > MaxLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id is "." or "..")
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.IdInvalid, what, id)) { Target = id };
        }

        return id;
    }
}
