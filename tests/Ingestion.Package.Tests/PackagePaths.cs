namespace Ingestion.Package.Tests;

/// <summary>Where the staged module and the package built from it are.</summary>
internal static class PackagePaths
{
    public static string Root { get; } = FindRoot();

    public static string RepositoryManifest => Path.Combine(Root, "Ingestion.psd1");

    public static string StagedModule => Path.Combine(Root, "artifacts", "module", "Ingestion");

    public static string PackageDirectory => Path.Combine(Root, "artifacts", "package");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingestion.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ingestion.psd1 not found above " + AppContext.BaseDirectory);
    }
}
