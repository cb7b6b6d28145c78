namespace Ingestion.PowerShell.Tests;

/// <summary>Paths of the repository files the tests read (manifest, format file, sources).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Manifest => Path.Combine(Root, "Ingestion.psd1");

    public static string FormatFile => Path.Combine(Root, "module", "Ingestion.format.ps1xml");

    public static string CommandsDirectory => Path.Combine(Root, "src", "Ingestion.PowerShell", "Commands");

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
