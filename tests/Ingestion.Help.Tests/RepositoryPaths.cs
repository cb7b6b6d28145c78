using System.Reflection;

namespace Ingestion.Help.Tests;

/// <summary>Where the help sources, the built cmdlet assembly and the PowerShell reference assembly are.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string HelpSources => Path.Combine(Root, "module", "help");

    /// <summary>Recorded by the project file at build time (GetTargetPath of Ingestion.PowerShell).</summary>
    public static string CmdletAssembly => Metadata("IngestionCmdletAssembly");

    public static string PowerShellReferenceAssembly => Metadata("PowerShellReferenceAssembly");

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"The test assembly lacks AssemblyMetadata '{key}'; see IngestionRecordAssemblyPaths in the project file.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingestion.psd1")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ingestion.psd1 not found above " + AppContext.BaseDirectory);
    }
}
