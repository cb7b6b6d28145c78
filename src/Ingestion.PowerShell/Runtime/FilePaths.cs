using System.Management.Automation;
using Ingestion.PowerShell.Errors;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// -Path (wildcards) and -LiteralPath resolved through the provider to file-system files. What cannot be used (no
/// match, another provider, a folder) is written as a non-terminating error and left out.
/// </summary>
internal static class FilePaths
{
    /// <param name="reject">Writes a path that cannot be used; <c>cmdlet.WriteError</c> unless the caller also counts them.</param>
    /// <param name="notFileSystemMessage">What a path on another provider is told ({0} the path, {1} the provider).</param>
    public static List<string> Resolve(PSCmdlet cmdlet, string[] paths, bool literal, Action<ErrorRecord>? reject = null, string notFileSystemMessage = Messages.NotFileSystemFile)
    {
        reject ??= cmdlet.WriteError;
        var files = new List<string>();
        foreach (var requested in paths)
        {
            List<string> matches;
            ProviderInfo provider;
            try
            {
                if (literal)
                {
                    var resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(requested, out provider, out _);
                    matches = File.Exists(resolved) || Directory.Exists(resolved) ? [resolved] : [];
                }
                else
                {
                    matches = [.. cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(requested, out provider)];
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                reject(NotFound(requested, literal));
                continue;
            }

            if (provider.Name != "FileSystem")
            {
                reject(ErrorMapper.Create(ErrorIds.NotFileSystemPath, ErrorCategory.InvalidArgument, string.Format(notFileSystemMessage, requested, provider.Name), requested));
                continue;
            }

            if (matches.Count == 0)
            {
                reject(NotFound(requested, literal));
                continue;
            }

            foreach (var match in matches)
            {
                if (Directory.Exists(match))
                {
                    reject(ErrorMapper.Create(ErrorIds.DirectoryNotSupported, ErrorCategory.InvalidType, string.Format(Messages.DirectoryNotSupported, match), match));
                    continue;
                }

                files.Add(match);
            }
        }

        return files;
    }

    /// <summary>A path the cmdlet writes to, resolved against the current location (it need not exist).</summary>
    public static string Output(PSCmdlet cmdlet, string path) => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private static ErrorRecord NotFound(string requested, bool literal)
    {
        var message = !literal && WildcardPattern.ContainsWildcardCharacters(requested) ? Messages.PatternMatchedNothing : Messages.PathNotFound;
        return ErrorMapper.Create(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, string.Format(message, requested), requested);
    }
}
