using Ingestion.Core.Errors;

namespace Ingestion.Core.Aep;

/// <summary>
/// Remote file names inside a batch. They may contain folders (<c>part1=a/part2=b/x.parquet</c>,
/// which AEP keeps as partitions); each folder segment is escaped on its own so '/' stays a separator.
/// </summary>
public static class RemotePath
{
    public const int MaxLength = 1024;

    /// <summary>Returns the name unchanged when valid; otherwise throws an <see cref="IngestionException"/> naming the problem.</summary>
    public static string Validate(string remoteName)
    {
        if (string.IsNullOrEmpty(remoteName))
        {
            throw Invalid(Messages.RemoteNameEmpty, remoteName);
        }

        if (string.IsNullOrWhiteSpace(remoteName))
        {
            throw Invalid(string.Format(Messages.RemoteNameBlank, remoteName), remoteName);
        }

        if (remoteName.Length > MaxLength)
        {
            throw Invalid(string.Format(Messages.RemoteNameTooLong, remoteName.Length, MaxLength, remoteName[..40]), remoteName);
        }

        foreach (var c in remoteName)
        {
            if (char.IsControl(c))
            {
                throw Invalid(string.Format(Messages.RemoteNameControlChar, Printable(remoteName), (int)c), remoteName);
            }

            if (c == '\\')
            {
                throw Invalid(string.Format(Messages.RemoteNameBackslash, remoteName), remoteName);
            }
        }

        foreach (var segment in remoteName.Split('/'))
        {
            if (string.IsNullOrWhiteSpace(segment) || segment == "." || segment == "..")
            {
                throw Invalid(string.Format(Messages.RemoteNameBadSegment, remoteName), remoteName);
            }
        }

        return remoteName;
    }

    /// <summary>Validates, then percent-escapes every segment (spaces, '#', '?', unicode) for use in a URL path.</summary>
    public static string Escape(string remoteName) =>
        string.Join('/', Validate(remoteName).Split('/').Select(Uri.EscapeDataString));

    private static string Printable(string value) =>
        new(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static IngestionException Invalid(string message, string remoteName) =>
        new(IngestErrorKind.InvalidArgument, message) { Target = remoteName };
}
